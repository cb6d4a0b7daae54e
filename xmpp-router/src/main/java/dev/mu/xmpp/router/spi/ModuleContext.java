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
}
