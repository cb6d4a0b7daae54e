package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.router.memory.InMemoryStorageProvider;
import dev.mu.xmpp.router.spi.StorageProvider;

/** The storage contract on the in-memory stores, which keep nothing across a reopen. */
class InMemoryStorageTest extends StorageContract {

    @Override
    StorageProvider open() {
        return new InMemoryStorageProvider();
    }

    @Override
    boolean durable() {
        return false;
    }
}
