package dev.mu.xmpp.sasl;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * What the transport tells a mechanism about one connection: the credential store, TLS state,
 * channel-binding data, certificate identities and the authorization policy.
 *
 * <p>Built once per connection with {@link #builder()}; immutable, though the functions it holds
 * are called from the exchange. Defaults:
 * <table>
 *   <caption>Builder defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>credentials</td><td>a store that knows no user</td></tr>
 *   <tr><td>tlsSecured</td><td>{@code false}</td></tr>
 *   <tr><td>channelBindingTypes</td><td>{@value #TLS_EXPORTER} and {@value #TLS_SERVER_END_POINT}</td></tr>
 *   <tr><td>channelBindingData</td><td>none for every type</td></tr>
 *   <tr><td>authzidPolicy</td><td>absent, or equal to {@code username@domain} (domain ignoring ASCII case)</td></tr>
 *   <tr><td>peerIdentities</td><td>none</td></tr>
 *   <tr><td>advertised</td><td>none: no XEP-0474 downgrade protection hash</td></tr>
 *   <tr><td>nonceGenerator</td><td>{@value #DEFAULT_NONCE_BYTES} bytes from {@link java.security.SecureRandom}, base64</td></tr>
 * </table>
 */
public final class SaslContext {

    /** The channel-binding type of RFC 9266, the one to use with TLS 1.3. */
    public static final String TLS_EXPORTER = "tls-exporter";

    /** The channel-binding type of RFC 5929 §4, a hash of the server certificate. */
    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    /** Random bytes in a default server nonce; RFC 5802 §5.1 asks for a nonce that is never reused. */
    public static final int DEFAULT_NONCE_BYTES = 24;

    private final CredentialStore credentials;
    private final boolean tlsSecured;
    private final Set<String> channelBindingTypes;
    private final Function<String, byte[]> channelBindingData;
    private final String domain;
    private final BiPredicate<String, String> authzidPolicy;
    private final Set<String> peerIdentities;
    private final Supplier<String> nonceGenerator;
    private final List<String> advertisedMechanisms;
    private final Set<String> advertisedChannelBindings;

    private SaslContext(Builder b) {
        this.advertisedMechanisms = b.advertisedMechanisms;
        this.advertisedChannelBindings = b.advertisedChannelBindings;
        this.credentials = b.credentials;
        this.tlsSecured = b.tlsSecured;
        this.channelBindingTypes = b.channelBindingTypes;
        this.channelBindingData = b.channelBindingData;
        this.domain = b.domain;
        this.authzidPolicy = b.authzidPolicy != null ? b.authzidPolicy : this::isOwnJid;
        this.peerIdentities = b.peerIdentities;
        this.nonceGenerator = b.nonceGenerator;
    }

    /** Starts a builder with the defaults in the class description. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store that holds the users' credentials. */
    public CredentialStore credentials() {
        return credentials;
    }

    /** Whether the stream is TLS-secured. */
    public boolean tlsSecured() {
        return tlsSecured;
    }

    /** The channel-binding types the server supports, as advertised with XEP-0440. */
    public Set<String> channelBindingTypes() {
        return channelBindingTypes;
    }

    /**
     * The channel-binding data of a type on this connection.
     *
     * @return the data, or empty when the server does not support the type or the connection
     *         has no such data (no TLS, or a TLS version the type is not defined for)
     */
    public Optional<byte[]> channelBindingData(String type) {
        if (!tlsSecured || !channelBindingTypes.contains(type)) {
            return Optional.empty();
        }
        byte[] data = channelBindingData.apply(type);
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }

    /** Whether the server could bind to this connection with at least one type it supports. */
    public boolean channelBindingAvailable() {
        return channelBindingTypes.stream().anyMatch(t -> channelBindingData(t).isPresent());
    }

    /** Whether the authenticated user may act as the authorization identity the client asked for. */
    public boolean authzidAllowed(String authenticatedUser, String authzid) {
        return authzidPolicy.test(authenticatedUser, authzid);
    }

    /** The identities the transport validated in the peer's certificate, for EXTERNAL. */
    public Set<String> peerIdentities() {
        return peerIdentities;
    }

    /** A fresh server nonce: printable ASCII without a comma (RFC 5802 §7, {@code c-nonce}). */
    public String newNonce() {
        return nonceGenerator.get();
    }

    /**
     * XEP-0474 §"Server Sends Downgrade Protection Hash": the string S the server hashes, built from
     * the mechanisms and channel-binding types it advertised on this stream, or empty when the
     * transport did not say what it advertised.
     *
     * <p>"All sorting operations MUST be performed using "i;octet" collation": the names are ASCII,
     * so sorting the strings by code unit is sorting their octets.
     */
    public Optional<String> downgradeProtectionInput() {
        if (advertisedMechanisms == null) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder(String.join("\u001e", advertisedMechanisms.stream().sorted().toList()));
        if (advertisedChannelBindings != null) {
            s.append('\u001f').append(String.join("\u001e", advertisedChannelBindings.stream().sorted().toList()));
        }
        return Optional.of(s.toString());
    }

    private boolean isOwnJid(String user, String authzid) {
        int at = authzid.indexOf('@');
        if (domain == null || at <= 0
                || !authzid.substring(at + 1).toLowerCase(Locale.ROOT).equals(domain.toLowerCase(Locale.ROOT))) {
            return false;
        }
        // RFC 7622 §3.3: a localpart is compared after the UsernameCaseMapped profile.
        try {
            return PrecisProfiles.USERNAME_CASE_MAPPED.enforce(authzid.substring(0, at)).equals(user);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String randomNonce() {
        return Base64.getEncoder().encodeToString(SecureRandoms.bytes(DEFAULT_NONCE_BYTES));
    }

    /** Builds a {@link SaslContext}; not thread-safe. */
    public static final class Builder {
        private CredentialStore credentials = (username, hash) -> Optional.empty();
        private boolean tlsSecured;
        private Set<String> channelBindingTypes = Set.of(TLS_EXPORTER, TLS_SERVER_END_POINT);
        private Function<String, byte[]> channelBindingData = type -> null;
        private String domain;
        private BiPredicate<String, String> authzidPolicy;
        private Set<String> peerIdentities = Set.of();
        private Supplier<String> nonceGenerator = SaslContext::randomNonce;
        private List<String> advertisedMechanisms;
        private Set<String> advertisedChannelBindings;

        private Builder() {
        }

        /**
         * Says what the server advertised on this stream, for the XEP-0474 downgrade protection hash
         * SCRAM adds to its server-first-message.
         *
         * @param mechanisms      the SASL mechanisms offered
         * @param channelBindings the channel-binding types advertised with XEP-0440, or {@code null}
         *                        when the stream advertised none
         */
        public Builder advertised(List<String> mechanisms, Set<String> channelBindings) {
            this.advertisedMechanisms = List.copyOf(mechanisms);
            this.advertisedChannelBindings = channelBindings == null ? null : Set.copyOf(channelBindings);
            return this;
        }

        /** Sets the store that holds the users' credentials. */
        public Builder credentials(CredentialStore credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Sets whether the stream is TLS-secured. */
        public Builder tlsSecured(boolean tlsSecured) {
            this.tlsSecured = tlsSecured;
            return this;
        }

        /** Sets the channel-binding types the server supports; an empty set turns binding off. */
        public Builder channelBindingTypes(Set<String> types) {
            this.channelBindingTypes = Set.copyOf(types);
            return this;
        }

        /**
         * Sets the source of channel-binding data: a function from a type name to the bytes for
         * this connection, or {@code null} when the connection has none of that type. For
         * {@value #TLS_EXPORTER} that is the 32-byte exporter output with label
         * {@code EXPORTER-Channel-Binding} and an empty context (RFC 9266 §2); for
         * {@value #TLS_SERVER_END_POINT} the hash of the server certificate (RFC 5929 §4.1).
         */
        public Builder channelBindingData(Function<String, byte[]> data) {
            this.channelBindingData = Objects.requireNonNull(data, "data");
            return this;
        }

        /** Sets the server's domain, which the default authorization policy accepts in {@code username@domain}. */
        public Builder domain(String domain) {
            this.domain = Objects.requireNonNull(domain, "domain");
            return this;
        }

        /**
         * Replaces the default authorization policy: a predicate of the authenticated user and
         * the non-empty authorization identity the client sent, true when the user may act as it.
         */
        public Builder authzidPolicy(BiPredicate<String, String> policy) {
            this.authzidPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets the identities (domain names, or JIDs for client certificates) the transport
         * validated in the peer's certificate, for EXTERNAL.
         */
        public Builder peerIdentities(Set<String> identities) {
            this.peerIdentities = Set.copyOf(identities);
            return this;
        }

        /**
         * Replaces the server nonce generator, e.g. to replay the RFC test vectors; every value it
         * returns must be fresh, printable ASCII and free of commas.
         */
        public Builder nonceGenerator(Supplier<String> generator) {
            this.nonceGenerator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** Builds the context. */
        public SaslContext build() {
            return new SaslContext(this);
        }
    }
}
