package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;

/**
 * Carries stanzas addressed to other domains to their servers: the federation transport
 * (RFC 6120 §13.2), which the server implements over server-to-server streams so that the router
 * needs no network code.
 *
 * <p>Implementations are thread-safe: the router calls {@link #send} from any transport's thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-10.4">RFC 6120 §10.4</a>
 */
@FunctionalInterface
public interface RemoteRouter {

    /**
     * Hands over a stanza whose {@code to} is a domain this server does not serve, returning without
     * waiting for the network. A stanza that cannot be delivered is given to {@code bounces}.
     *
     * @param stanza  the stanza, its {@code from} already stamped by the router
     * @param bounces where undeliverable stanzas go back, with the condition to answer them with
     */
    void send(Stanza stanza, Bounces bounces);

    /** Answers undeliverable stanzas to their senders; the router's, safe to call from any thread. */
    @FunctionalInterface
    interface Bounces {

        /**
         * Answers the stanza with an error of the given condition, unless the stanza is one that
         * RFC 6120 §8.3.1 says must not be answered with an error (errors, results, most presence).
         */
        void bounce(Stanza stanza, StanzaError.Condition condition);
    }
}
