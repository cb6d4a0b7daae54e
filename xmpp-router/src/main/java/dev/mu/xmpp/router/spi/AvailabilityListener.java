package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.stanza.Presence;

/** Told when a local client sends its initial presence, after the server has broadcast it. */
@FunctionalInterface
public interface AvailabilityListener {

    /**
     * A resource became available.
     *
     * @param session  the client's session
     * @param presence the initial presence it sent
     */
    void available(Session session, Presence presence);
}
