package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.stanza.Iq;

/** Answers one kind of iq request; must eventually send exactly one result or error to the requester. */
@FunctionalInterface
public interface IqHandler {

    /**
     * Handles a request whose {@code from} has been stamped by the server.
     *
     * @param requester where the reply goes
     * @param iq        the request
     */
    void handle(Session requester, Iq iq);
}
