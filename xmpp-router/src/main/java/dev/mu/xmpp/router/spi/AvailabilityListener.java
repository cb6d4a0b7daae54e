package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.stanza.Presence;

/**
 * Told when a local resource becomes able to take messages: at its initial presence, and when it
 * raises its priority from negative to non-negative; after the server has broadcast the presence.
 */
@FunctionalInterface
public interface AvailabilityListener {

    /**
     * A resource became available, or reachable for messages to its bare JID.
     *
     * @param session  the client's session
     * @param presence the presence it sent
     */
    void available(Session session, Presence presence);
}
