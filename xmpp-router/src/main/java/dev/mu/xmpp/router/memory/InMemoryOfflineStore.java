package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.OfflineMessage;
import dev.mu.xmpp.router.spi.OfflineStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Offline messages in memory; lost when the process ends. Thread-safe. */
public final class InMemoryOfflineStore implements OfflineStore {

    private final ConcurrentHashMap<EntityBareJid, List<OfflineMessage>> queues = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public boolean store(EntityBareJid user, XmlElement message, Instant received, int limit) {
        boolean[] stored = new boolean[1];
        queues.compute(user, (k, queue) -> {
            List<OfflineMessage> next = queue == null ? new ArrayList<>() : new ArrayList<>(queue);
            if (next.size() < limit) {
                next.add(new OfflineMessage(ids.incrementAndGet(), message, received));
                stored[0] = true;
            }
            return List.copyOf(next);
        });
        return stored[0];
    }

    @Override
    public List<OfflineMessage> peek(EntityBareJid user) {
        return queues.getOrDefault(user, List.of());
    }

    @Override
    public void remove(EntityBareJid user, List<OfflineMessage> delivered) {
        Set<Long> gone = new HashSet<>();
        delivered.forEach(m -> gone.add(m.id()));
        queues.computeIfPresent(user, (k, queue) -> {
            List<OfflineMessage> next = new ArrayList<>(queue);
            next.removeIf(m -> gone.contains(m.id()));
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    @Override
    public void deleteUser(EntityBareJid user) {
        queues.remove(user);
    }
}
