package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.router.spi.ArchiveStore;
import dev.mu.xmpp.router.spi.OfflineStore;
import dev.mu.xmpp.router.spi.PrivateXmlStore;
import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.VCardStore;

/** Every store in memory; for tests and for embedders that persist nothing. Thread-safe. */
public final class InMemoryStorageProvider implements StorageProvider {

    private final InMemoryRosterStore rosters = new InMemoryRosterStore();
    private final InMemoryOfflineStore offline = new InMemoryOfflineStore();
    private final InMemoryArchiveStore archive = new InMemoryArchiveStore();
    private final InMemoryPrivateXmlStore privateXml = new InMemoryPrivateXmlStore();
    private final InMemoryVCardStore vcards = new InMemoryVCardStore();

    @Override
    public RosterStore rosters() {
        return rosters;
    }

    @Override
    public OfflineStore offline() {
        return offline;
    }

    @Override
    public ArchiveStore archive() {
        return archive;
    }

    @Override
    public PrivateXmlStore privateXml() {
        return privateXml;
    }

    @Override
    public VCardStore vcards() {
        return vcards;
    }
}
