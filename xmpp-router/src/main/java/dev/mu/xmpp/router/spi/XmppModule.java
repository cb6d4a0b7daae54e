package dev.mu.xmpp.router.spi;

import java.util.Locale;

/**
 * A server feature, found with {@link java.util.ServiceLoader} and built once per server instance.
 *
 * <p>A module declares its disco features and registers the stanzas it handles in {@link #start}.
 */
public interface XmppModule {

    /**
     * The name configuration refers to this module by, e.g. to disable it: by default the class's
     * simple name in lower case without a {@code Module} suffix ({@code MamModule} is {@code mam}).
     */
    default String name() {
        String simple = getClass().getSimpleName();
        String base = simple.endsWith("Module") && simple.length() > 6 ? simple.substring(0, simple.length() - 6) : simple;
        return base.toLowerCase(Locale.ROOT);
    }

    /** Declares features and registers handlers; called once before the server accepts connections. */
    void start(ModuleContext ctx);

    /** Releases what {@link #start} acquired; called once when the server closes. */
    default void stop() {
    }
}
