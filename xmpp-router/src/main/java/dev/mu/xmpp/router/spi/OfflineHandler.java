package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.stanza.Message;

/** Takes a message that no resource of its local recipient can receive now (RFC 6121 §8.5.2.1.1). */
@FunctionalInterface
public interface OfflineHandler {

    /**
     * Keeps the message for later delivery, durably before returning.
     *
     * @return whether it was kept; when no handler keeps it, the sender gets {@code service-unavailable}
     */
    boolean store(Message message);
}
