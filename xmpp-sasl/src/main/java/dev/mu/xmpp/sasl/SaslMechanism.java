package dev.mu.xmpp.sasl;

/**
 * A SASL mechanism the server offers: its name and a factory of exchanges.
 *
 * <p>Implementations are immutable and thread-safe; one instance serves every connection of a
 * server.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4422#section-3.1">RFC 4422 §3.1</a>
 */
public interface SaslMechanism {

    /** The registered mechanism name, e.g. {@code SCRAM-SHA-256-PLUS}. */
    String name();

    /** Whether the mechanism binds to the TLS channel, so it is offered only when binding data exists. */
    boolean requiresChannelBinding();

    /** Whether the mechanism is offered only over a TLS-secured stream; {@code false} by default. */
    default boolean requiresTls() {
        return false;
    }

    /** Starts one exchange on a connection described by the context. */
    SaslServer newServer(SaslContext context);
}
