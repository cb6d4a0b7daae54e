package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.router.spi.StorageProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the embedded H2 database in a fresh data directory. */
class H2StorageTest extends StorageContract {

    @TempDir
    Path dataDir;

    @Override
    StorageProvider open() {
        return new JdbcStorageProvider(Database.embedded(dataDir));
    }

    @Override
    boolean durable() {
        return true;
    }
}
