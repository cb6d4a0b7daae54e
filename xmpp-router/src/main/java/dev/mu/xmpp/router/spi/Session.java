package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.stanza.Stanza;

/**
 * The entity a module answers: a client's session, or the router acting for a remote sender.
 *
 * <p>Implementations are thread-safe.
 */
public interface Session {

    /** The address of the entity, a full JID for a bound client session. */
    Jid address();

    /** Sends a stanza to this entity. */
    void send(Stanza stanza);
}
