package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.router.spi.Roster;
import dev.mu.xmpp.router.spi.RosterStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Rosters in a map; lost when the process ends. Thread-safe, atomic per owner. */
public final class InMemoryRosterStore implements RosterStore {

    private final ConcurrentHashMap<BareJid, Roster> rosters = new ConcurrentHashMap<>();

    @Override
    public Roster get(BareJid owner) {
        return rosters.getOrDefault(owner, Roster.EMPTY);
    }

    @Override
    public Roster update(BareJid owner, UnaryOperator<Roster> change) {
        return rosters.compute(owner, (k, current) -> change.apply(current == null ? Roster.EMPTY : current));
    }

    @Override
    public void delete(BareJid owner) {
        rosters.remove(owner);
    }
}
