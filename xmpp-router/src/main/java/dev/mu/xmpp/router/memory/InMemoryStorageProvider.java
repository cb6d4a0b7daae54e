package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.StorageProvider;

/** Every store in memory; for tests and for embedders that persist nothing. Thread-safe. */
public final class InMemoryStorageProvider implements StorageProvider {

    private final InMemoryRosterStore rosters = new InMemoryRosterStore();

    @Override
    public RosterStore rosters() {
        return rosters;
    }
}
