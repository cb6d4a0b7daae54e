package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.Stanza;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;

/**
 * What a module sees of the server it runs in: one context per module per server instance.
 *
 * <p>Registration methods are called from {@link XmppModule#start}; the others are thread-safe.
 */
public interface ModuleContext {

    /** The server's domain. */
    DomainJid domain();

    /** When the server started. */
    Instant startedAt();

    /** Declares an XEP-0030 feature of the server. */
    void addFeature(String var);

    /** Declares an XEP-0030 identity of the server. */
    void addIdentity(DiscoIdentity identity);

    /** Every feature declared so far by every module, sorted. */
    Set<String> features();

    /** Every identity declared so far by every module. */
    List<DiscoIdentity> identities();

    /** Handles iq requests of the given type whose payload has the given name, addressed to the server. */
    default void onIq(IqType type, QName payload, IqHandler handler) {
        onIq(Addressing.HOST, type, payload, handler);
    }

    /** Handles iq requests of the given type and payload with the given addressing. */
    void onIq(Addressing addressing, IqType type, QName payload, IqHandler handler);

    /** Routes a stanza as the server would, with {@code from} already set by the module. */
    void route(Stanza stanza);

    /** Who is online on this server. */
    PresenceDirectory presence();

    /** The rosters of local users, for access decisions such as "is the requester subscribed". */
    RosterStore rosters();

    /** The server's stores. */
    StorageProvider storage();

    /** Declares an XEP-0030 feature of every local account, shown in disco#info of a bare JID. */
    void addAccountFeature(String var);

    /** Every account feature declared so far by every module, sorted. */
    Set<String> accountFeatures();

    /** Sees messages local users send, after {@code from} is stamped and before routing. */
    void interceptOutbound(MessageInterceptor interceptor);

    /** Sees messages for a local user before delivery or offline storage. */
    void interceptInbound(MessageInterceptor interceptor);

    /** Takes messages no resource of their local recipient can receive now. */
    void onOffline(OfflineHandler handler);

    /** Told when a local resource sends initial presence, or raises a negative priority to a non-negative one. */
    void onAvailable(AvailabilityListener listener);

    /**
     * A typed option the server was configured with, as Prosody's {@code module:get_option}.
     *
     * @param name         the option's name, by convention {@code <module>.<setting>}
     * @param type         the option's type
     * @param defaultValue the value when the option is not set
     * @throws IllegalArgumentException when the option is set to a value of another type
     */
    <T> T option(String name, Class<T> type, T defaultValue);
}
