package dev.mu.xmpp.sasl;

import java.util.Objects;

/**
 * SCRAM with one hash, with or without channel binding: {@code SCRAM-SHA-1}, {@code SCRAM-SHA-256},
 * {@code SCRAM-SHA-512} and their {@code -PLUS} variants.
 *
 * <p>Immutable and thread-safe. For users the store does not know, the exchange runs to the end
 * with credentials derived from a server secret and the username, so the salt and iteration count
 * a client sees, and the time the server takes, do not say whether an account exists (RFC 5802 §7
 * lets the server hide the real reason of a failure "in order to prevent information disclosure").
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5802">RFC 5802</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7677">RFC 7677</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9266">RFC 9266</a>
 */
public final class ScramMechanism implements SaslMechanism {

    /** The shortest accepted secret for unknown-user credentials, in bytes. */
    public static final int MIN_SECRET_LENGTH = 16;

    private final ScramHash hash;
    private final boolean channelBinding;
    private final byte[] unknownUserSecret;
    private final String name;

    /**
     * Creates the mechanism.
     *
     * @param hash              the hash function
     * @param channelBinding    whether this is the {@code -PLUS} variant
     * @param unknownUserSecret a random server secret of at least {@value #MIN_SECRET_LENGTH} bytes
     *                          from which fake credentials of unknown users are derived; give all
     *                          SCRAM mechanisms of one server the same secret, so an unknown user
     *                          shows the same salt in each, as a known user does
     */
    public ScramMechanism(ScramHash hash, boolean channelBinding, byte[] unknownUserSecret) {
        this.hash = Objects.requireNonNull(hash, "hash");
        this.channelBinding = channelBinding;
        this.unknownUserSecret = unknownUserSecret.clone();
        if (this.unknownUserSecret.length < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("secret shorter than " + MIN_SECRET_LENGTH + " bytes");
        }
        this.name = hash.mechanismName() + (channelBinding ? "-PLUS" : "");
    }

    /** The hash function. */
    public ScramHash hash() {
        return hash;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean requiresChannelBinding() {
        return channelBinding;
    }

    @Override
    public SaslServer newServer(SaslContext context) {
        return new ScramServer(hash, channelBinding, name, unknownUserSecret, context);
    }
}
