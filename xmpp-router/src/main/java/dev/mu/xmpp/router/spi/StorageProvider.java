package dev.mu.xmpp.router.spi;

/** The stores a server instance uses; one provider per server, opened at start and closed with it. */
public interface StorageProvider extends AutoCloseable {

    /** The roster store. */
    RosterStore rosters();

    /** Messages kept for offline users. */
    OfflineStore offline();

    /** The users' message archives. */
    ArchiveStore archive();

    /** XEP-0049 private XML. */
    PrivateXmlStore privateXml();

    /** XEP-0054 vCards. */
    VCardStore vcards();

    /** Releases connections and files; the default holds none. */
    @Override
    default void close() {
    }
}
