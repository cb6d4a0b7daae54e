package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ArchivePage;
import dev.mu.xmpp.router.spi.ArchivePreferences;
import dev.mu.xmpp.router.spi.ArchiveQuery;
import dev.mu.xmpp.router.spi.ArchiveStore;
import dev.mu.xmpp.router.spi.ArchivedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Message archives in memory; lost when the process ends. Thread-safe. */
public final class InMemoryArchiveStore implements ArchiveStore {

    private final ConcurrentHashMap<BareJid, List<ArchivedMessage>> archives = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BareJid, ArchivePreferences> preferences = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public ArchivedMessage append(BareJid owner, BareJid with, XmlElement message, Instant timestamp) {
        ArchivedMessage m = new ArchivedMessage(Long.toString(ids.incrementAndGet(), 36), with, timestamp, message);
        archives.compute(owner, (k, list) -> {
            List<ArchivedMessage> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(m);
            return List.copyOf(next);
        });
        return m;
    }

    @Override
    public ArchivePage query(BareJid owner, ArchiveQuery q) {
        List<ArchivedMessage> all = archives.getOrDefault(owner, List.of());
        if (q.ids() != null) {
            // XEP-0313 §"Limiting results by id": every requested id must be in the archive.
            for (String id : q.ids()) {
                indexOf(all, id);
            }
        }
        List<ArchivedMessage> matching = new ArrayList<>();
        for (ArchivedMessage m : all) {
            if ((q.with() == null || q.with().equals(m.with()))
                    && (q.start() == null || !m.timestamp().isBefore(q.start()))
                    && (q.end() == null || !m.timestamp().isAfter(q.end()))
                    && (q.ids() == null || q.ids().contains(m.id()))) {
                matching.add(m);
            }
        }
        int from = 0;
        int to = matching.size();
        if (q.afterId() != null) {
            from = indexOf(matching, q.afterId()) + 1;
        }
        if (q.beforeId() != null) {
            to = indexOf(matching, q.beforeId());
        }
        if (from > to) {
            from = to;
        }
        int pageFrom = q.last() ? Math.max(from, to - q.max()) : from;
        int pageTo = q.last() ? to : Math.min(to, from + q.max());
        // XEP-0313 §"Paging through results": complete when the page size did not limit the results.
        boolean complete = q.last() ? pageFrom == from : pageTo == to;
        return new ArchivePage(matching.subList(pageFrom, pageTo), complete, matching.size(), pageFrom);
    }

    private static int indexOf(List<ArchivedMessage> messages, String id) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new NoSuchElementException("No archived message " + id);
    }

    @Override
    public Optional<ArchivePreferences> preferences(BareJid owner) {
        return Optional.ofNullable(preferences.get(owner));
    }

    @Override
    public void preferences(BareJid owner, ArchivePreferences value) {
        preferences.put(owner, value);
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        int[] removed = new int[1];
        archives.replaceAll((owner, list) -> {
            List<ArchivedMessage> next = new ArrayList<>(list);
            next.removeIf(m -> m.timestamp().isBefore(cutoff));
            removed[0] += list.size() - next.size();
            return List.copyOf(next);
        });
        return removed[0];
    }

    @Override
    public void deleteUser(BareJid owner) {
        archives.remove(owner);
        preferences.remove(owner);
    }
}
