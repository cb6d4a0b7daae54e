package dev.mu.xmpp.router.spi;

/**
 * A server feature, found with {@link java.util.ServiceLoader} and built once per server instance.
 *
 * <p>A module declares its disco features and registers the stanzas it handles in {@link #start}.
 */
public interface XmppModule {

    /** Declares features and registers handlers; called once before the server accepts connections. */
    void start(ModuleContext ctx);

    /** Releases what {@link #start} acquired; called once when the server closes. */
    default void stop() {
    }
}
