package dev.mu.xmpp.sasl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mechanisms one server has enabled, in preference order: what to offer on a stream and what
 * a client's {@code <auth mechanism='...'/>} selects.
 *
 * <p>Immutable and thread-safe; build one per server.
 */
public final class SaslMechanisms {

    /** The length of the unknown-user secret {@link #defaults()} generates. */
    public static final int SECRET_LENGTH = 32;

    private final List<SaslMechanism> mechanisms;

    /**
     * Creates the set from mechanisms in preference order, strongest first.
     *
     * @throws IllegalArgumentException if two mechanisms share a name
     */
    public SaslMechanisms(List<? extends SaslMechanism> mechanisms) {
        this.mechanisms = List.copyOf(mechanisms);
        Set<String> names = new HashSet<>();
        for (SaslMechanism m : this.mechanisms) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("duplicate mechanism " + m.name());
            }
        }
    }

    /**
     * A new set for client-to-server streams: SCRAM-SHA-512, -256 and -1, each first with
     * {@code -PLUS}, then without, then PLAIN over TLS only. The SCRAM mechanisms share a fresh
     * random unknown-user secret. EXTERNAL is not included; add an {@link ExternalMechanism} where
     * certificates authenticate the peer.
     */
    public static SaslMechanisms defaults() {
        return defaults(false);
    }

    /**
     * The {@link #defaults()}, with PLAIN also over connections without TLS when
     * {@code cleartextPlain} is set: for servers explicitly configured to allow authentication
     * without TLS, such as test and load-test setups.
     */
    public static SaslMechanisms defaults(boolean cleartextPlain) {
        byte[] secret = SecureRandoms.bytes(SECRET_LENGTH);
        List<SaslMechanism> list = new ArrayList<>();
        List<ScramHash> strongestFirst = List.of(ScramHash.SHA_512, ScramHash.SHA_256, ScramHash.SHA_1);
        for (ScramHash hash : strongestFirst) {
            list.add(new ScramMechanism(hash, true, secret));
        }
        for (ScramHash hash : strongestFirst) {
            list.add(new ScramMechanism(hash, false, secret));
        }
        list.add(new PlainMechanism(cleartextPlain));
        return new SaslMechanisms(list);
    }

    /**
     * The names to offer on a stream, in preference order.
     *
     * @param tls                           whether the stream is TLS-secured; mechanisms that
     *                                      {@linkplain SaslMechanism#requiresTls() require TLS}
     *                                      are left out otherwise
     * @param channelBindingTypesAvailable  the channel-binding types the server supports and has
     *                                      data for on this stream; {@code -PLUS} mechanisms are
     *                                      left out when it is empty
     */
    public List<String> offered(boolean tls, Set<String> channelBindingTypesAvailable) {
        boolean binding = tls && !channelBindingTypesAvailable.isEmpty();
        List<String> names = new ArrayList<>();
        for (SaslMechanism m : mechanisms) {
            if ((tls || !m.requiresTls()) && (binding || !m.requiresChannelBinding())) {
                names.add(m.name());
            }
        }
        return List.copyOf(names);
    }

    /**
     * The mechanism with this exact name (RFC 4422 §3.1 names are upper case). The transport
     * should accept only names it {@linkplain #offered offered} on the stream.
     */
    public Optional<SaslMechanism> byName(String name) {
        return mechanisms.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** All mechanisms, in preference order. */
    public List<SaslMechanism> all() {
        return mechanisms;
    }
}
