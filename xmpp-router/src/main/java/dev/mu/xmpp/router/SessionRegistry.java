package dev.mu.xmpp.router;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.FullJid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound sessions of every local user, by bare JID.
 *
 * <p>Thread-safe. Each user's resources are an immutable list replaced on change, so the delivery
 * path reads them without locking.
 */
final class SessionRegistry {

    private final ConcurrentHashMap<BareJid, List<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    /**
     * Adds a bound session.
     *
     * @return the session that held the same full JID before, now removed, or {@code null}
     */
    ClientSession add(ClientSession session) {
        FullJid jid = session.jid();
        ClientSession[] replaced = new ClientSession[1];
        byUser.compute(jid.asBare(), (bare, list) -> {
            List<ClientSession> copy = new ArrayList<>(list == null ? 1 : list.size() + 1);
            if (list != null) {
                for (ClientSession s : list) {
                    if (s.jid().equals(jid)) {
                        replaced[0] = s;
                    } else {
                        copy.add(s);
                    }
                }
            }
            copy.add(session);
            return List.copyOf(copy);
        });
        if (replaced[0] == null) {
            count.incrementAndGet();
        }
        return replaced[0];
    }

    /** Removes a session; returns whether it was registered. */
    boolean remove(ClientSession session) {
        FullJid jid = session.jid();
        if (jid == null) {
            return false;
        }
        boolean[] removed = new boolean[1];
        byUser.computeIfPresent(jid.asBare(), (bare, list) -> {
            List<ClientSession> copy = new ArrayList<>(list);
            removed[0] = copy.remove(session);
            return copy.isEmpty() ? null : List.copyOf(copy);
        });
        if (removed[0]) {
            count.decrementAndGet();
        }
        return removed[0];
    }

    /** The user's bound sessions, available or not. */
    List<ClientSession> resources(BareJid user) {
        return byUser.getOrDefault(user, List.of());
    }

    /** The session bound to the full JID, or {@code null}. */
    ClientSession get(FullJid jid) {
        return find(byUser.getOrDefault(jid.asBare(), List.of()), jid);
    }

    /** The session of {@code resources} (one user's, from {@link #resources}) bound to {@code jid}, or {@code null}. */
    static ClientSession find(List<ClientSession> resources, FullJid jid) {
        for (ClientSession s : resources) {
            if (jid.equals(s.jid())) {
                return s;
            }
        }
        return null;
    }

    /** The number of bound sessions. */
    int size() {
        return count.get();
    }
}
