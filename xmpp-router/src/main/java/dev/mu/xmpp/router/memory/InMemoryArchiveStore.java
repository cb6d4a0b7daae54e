package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ArchiveIds;
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

/**
 * Message archives in memory; lost when the process ends. An append adds to the owner's list in
 * amortised constant time; a query copies the owner's list once. Ids come from {@link ArchiveIds}.
 *
 * <p>Thread-safe: each owner's list is guarded by its own lock, taken for the id as well, so a
 * list is always in id order.
 */
public final class InMemoryArchiveStore implements ArchiveStore {

    /** One owner's messages in archive order; {@code deleted} once the owner's archive is removed. */
    private static final class Archive {
        final ArrayList<ArchivedMessage> messages = new ArrayList<>();
        boolean deleted;
    }

    private final ConcurrentHashMap<BareJid, Archive> archives = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BareJid, ArchivePreferences> preferences = new ConcurrentHashMap<>();
    private final ArchiveIds ids = new ArchiveIds(0);

    @Override
    public ArchivedMessage append(BareJid owner, BareJid with, XmlElement message, Instant timestamp) {
        while (true) {
            Archive archive = archives.computeIfAbsent(owner, k -> new Archive());
            synchronized (archive) {
                // A concurrent deleteUser removed this archive: start the owner's next one.
                if (!archive.deleted) {
                    ArchivedMessage m = new ArchivedMessage(ids.nextText(), with, timestamp, message);
                    archive.messages.add(m);
                    return m;
                }
            }
        }
    }

    private List<ArchivedMessage> snapshot(BareJid owner) {
        Archive archive = archives.get(owner);
        if (archive == null) {
            return List.of();
        }
        synchronized (archive) {
            return List.copyOf(archive.messages);
        }
    }

    @Override
    public ArchivePage query(BareJid owner, ArchiveQuery q) {
        List<ArchivedMessage> all = snapshot(owner);
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
        int removed = 0;
        for (Archive archive : archives.values()) {
            synchronized (archive) {
                int before = archive.messages.size();
                archive.messages.removeIf(m -> m.timestamp().isBefore(cutoff));
                removed += before - archive.messages.size();
            }
        }
        return removed;
    }

    @Override
    public void deleteUser(BareJid owner) {
        Archive archive = archives.remove(owner);
        if (archive != null) {
            synchronized (archive) {
                archive.deleted = true;
            }
        }
        preferences.remove(owner);
    }
}
