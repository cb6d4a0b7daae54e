package dev.mu.xmpp.server;

import dev.mu.xmpp.server.storage.Database;
import dev.mu.xmpp.server.storage.JdbcStorageProvider;

/** The restart contract over the embedded H2 database in the data directory. */
class H2RestartIT extends RestartContract {

    @Override
    JdbcStorageProvider open() {
        return new JdbcStorageProvider(Database.embedded(dataDir));
    }
}
