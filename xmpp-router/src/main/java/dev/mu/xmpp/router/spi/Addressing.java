package dev.mu.xmpp.router.spi;

/** Which address an iq handler serves, as Prosody's {@code iq/host} and {@code iq/bare} events do. */
public enum Addressing {
    /** Addressed to the server's domain, or with no {@code to} at all (RFC 6120 §10.3). */
    HOST,
    /** Addressed to a local user's bare JID, answered by the server on the user's behalf (RFC 6121 §8.5.2.1.3). */
    BARE
}
