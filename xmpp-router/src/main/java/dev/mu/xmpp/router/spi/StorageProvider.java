package dev.mu.xmpp.router.spi;

/** The stores a server instance uses; one provider per server, opened at start and closed with it. */
public interface StorageProvider extends AutoCloseable {

    /** The roster store. */
    RosterStore rosters();

    /** Releases connections and files; the default holds none. */
    @Override
    default void close() {
    }
}
