package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.stanza.Presence;

/**
 * Told when a local client sends its initial presence, after the server has broadcast it, and again
 * when a resource whose priority was negative sends presence with a non-negative one (the moment
 * XEP-0160 §2 delivers offline messages at).
 */
@FunctionalInterface
public interface AvailabilityListener {

    /**
     * A resource became available, or raised its priority from negative to non-negative.
     *
     * @param session  the client's session
     * @param presence the presence it sent
     */
    void available(Session session, Presence presence);
}
