package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.router.spi.ArchiveStore;
import dev.mu.xmpp.router.spi.OfflineStore;
import dev.mu.xmpp.router.spi.PrivateXmlStore;
import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.VCardStore;

/**
 * Every store over one JDBC database: the embedded H2 default or PostgreSQL, behind the same SQL.
 * Closing the provider writes the archive's queued messages, then closes the database. Thread-safe.
 */
public final class JdbcStorageProvider implements StorageProvider {

    private final Database db;
    private final JdbcCredentialStore accounts;
    private final JdbcRosterStore rosters;
    private final JdbcOfflineStore offline;
    private final JdbcArchiveStore archive;
    private final JdbcPrivateXmlStore privateXml;
    private final JdbcVCardStore vcards;

    /** Stores over an open, migrated database, which the provider now owns. */
    public JdbcStorageProvider(Database db) {
        this.db = db;
        this.accounts = new JdbcCredentialStore(db);
        this.rosters = new JdbcRosterStore(db);
        this.offline = new JdbcOfflineStore(db);
        this.archive = new JdbcArchiveStore(db);
        this.privateXml = new JdbcPrivateXmlStore(db);
        this.vcards = new JdbcVCardStore(db);
    }

    /** The accounts, a credential store for SASL. */
    public JdbcCredentialStore accounts() {
        return accounts;
    }

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

    @Override
    public void close() {
        // Queued archive writes first, while the database is still open.
        archive.close();
        db.close();
    }
}
