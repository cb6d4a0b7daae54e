package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.stanza.Message;

/**
 * Sees, and may replace, a message on its way: outbound as a local user sends it, or inbound just
 * before it reaches a local user (or that user's offline storage). Thread-safe.
 */
@FunctionalInterface
public interface MessageInterceptor {

    /**
     * Inspects a message whose {@code from} is stamped and {@code to} set.
     *
     * @return the message to carry on with: the same one, a changed copy, or {@code null} to drop it
     */
    Message intercept(Message message);
}
