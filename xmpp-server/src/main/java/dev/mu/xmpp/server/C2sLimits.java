package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamNamespaces;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * What one client, one address and one account may use of a server: connections, sessions, bytes,
 * time and authentication attempts; immutable. Each limit is enforced by its own pipeline handler or
 * service, and crossing one closes only the offending stream.
 *
 * <table class="striped">
 * <caption>Limits, defaults and environment variables</caption>
 * <thead><tr><th>Limit</th><th>Default</th><th>Environment</th><th>Enforced by</th></tr></thead>
 * <tbody>
 * <tr><td>{@link Builder#maxConnectionsPerAddress(int) maxConnectionsPerAddress}</td>
 *     <td>{@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}</td><td>{@code XMPP_MAX_CONNECTIONS_PER_IP}</td>
 *     <td>{@link ConnectionLimitHandler}: open client connections from one IP address; more get
 *     {@code policy-violation}</td></tr>
 * <tr><td>{@link Builder#maxSessionsPerAccount(int) maxSessionsPerAccount}</td>
 *     <td>{@value #DEFAULT_MAX_SESSIONS_PER_ACCOUNT}</td><td>{@code XMPP_MAX_SESSIONS_PER_ACCOUNT}</td>
 *     <td>resource binding: more resources get {@code resource-constraint} (RFC 6120 §7.6.2.1)</td></tr>
 * <tr><td>{@link Builder#inboundBytesPerSecond(int) inboundBytesPerSecond}</td>
 *     <td>{@value #DEFAULT_INBOUND_BYTES_PER_SECOND}</td><td>{@code XMPP_C2S_RATE_BYTES}</td>
 *     <td>{@link InboundRateLimitHandler}: sustained bytes per second read from one connection; a client
 *     that sends faster is not read from until it is within the rate again</td></tr>
 * <tr><td>{@link Builder#inboundBurstBytes(int) inboundBurstBytes}</td>
 *     <td>{@value #DEFAULT_INBOUND_BURST_BYTES}</td><td>{@code XMPP_C2S_BURST_BYTES}</td>
 *     <td>{@link InboundRateLimitHandler}: bytes read at once before the rate applies</td></tr>
 * <tr><td>{@link Builder#maxPendingOutboundBytes(int) maxPendingOutboundBytes}</td>
 *     <td>{@value #DEFAULT_MAX_PENDING_OUTBOUND_BYTES}</td><td>{@code XMPP_MAX_PENDING_OUTBOUND_BYTES}</td>
 *     <td>{@link OutboundBufferLimitHandler}: bytes written but not yet taken by a client that does not
 *     read; past it the stream is closed with {@code policy-violation}</td></tr>
 * <tr><td>{@link Builder#negotiationTimeout(Duration) negotiationTimeout}</td>
 *     <td>{@value #DEFAULT_NEGOTIATION_TIMEOUT_SECONDS} s</td><td>{@code XMPP_NEGOTIATION_TIMEOUT_SECONDS}</td>
 *     <td>{@link NegotiationTimeoutHandler}: time from connecting to a bound resource, against slow
 *     clients holding connections open before authentication</td></tr>
 * <tr><td>{@link Builder#pingInterval(Duration) pingInterval}</td>
 *     <td>{@value #DEFAULT_PING_INTERVAL_SECONDS} s</td><td>{@code XMPP_PING_INTERVAL_SECONDS}</td>
 *     <td>{@link IdleTimeoutHandler}: after this long without a byte from the client the server pings it
 *     (XEP-0199, or an XEP-0198 {@code <r/>}); after as long again the stream ends with
 *     {@code connection-timeout}</td></tr>
 * <tr><td>{@link Builder#authFailuresPerAddress(int) authFailuresPerAddress}</td>
 *     <td>{@value #DEFAULT_AUTH_FAILURES_PER_ADDRESS}</td><td>{@code XMPP_AUTH_FAILURES_PER_IP}</td>
 *     <td>{@link AuthThrottle}: failed authentications from one address within the lock time before it is
 *     locked out for the lock time</td></tr>
 * <tr><td>{@link Builder#authFailuresPerAccount(int) authFailuresPerAccount}</td>
 *     <td>{@value #DEFAULT_AUTH_FAILURES_PER_ACCOUNT}</td><td>{@code XMPP_AUTH_FAILURES_PER_ACCOUNT}</td>
 *     <td>{@link AuthThrottle}: failed authentications for one account, from anywhere, before it is locked</td></tr>
 * <tr><td>{@link Builder#authLockTime(Duration) authLockTime}</td>
 *     <td>{@value #DEFAULT_AUTH_LOCK_SECONDS} s</td><td>{@code XMPP_AUTH_LOCK_SECONDS}</td>
 *     <td>{@link AuthThrottle}: how long failures are remembered and a lock lasts</td></tr>
 * <tr><td>{@link Builder#authFailureDelay(Duration) authFailureDelay}</td>
 *     <td>{@value #DEFAULT_AUTH_FAILURE_DELAY_MILLIS} ms</td><td>{@code XMPP_AUTH_FAILURE_DELAY_MILLIS}</td>
 *     <td>{@link AuthThrottle}: the delay before answering the first failure; it doubles with each further
 *     failure of the address or account, up to {@value #MAX_AUTH_FAILURE_DELAY_MILLIS} ms</td></tr>
 * <tr><td>{@link Builder#decoder(XmppDecoderConfig) decoder}</td><td>{@link XmppDecoderConfig} defaults,
 *     {@code jabber:client} only</td><td>{@code XMPP_MAX_STANZA_BYTES}, {@code XMPP_MAX_HEADER_BYTES},
 *     {@code XMPP_MAX_XML_DEPTH}, {@code XMPP_MAX_XML_ATTRIBUTES}, {@code XMPP_MAX_ATTRIBUTE_LENGTH},
 *     {@code XMPP_MAX_TEXT_LENGTH}, {@code XMPP_MAX_NAME_LENGTH}</td>
 *     <td>the stream decoder: stanza size, header size, depth, attributes, text and names</td></tr>
 * </tbody>
 * </table>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-13.12">RFC 6120 §13.12 (denial of service)</a>
 */
public final class C2sLimits {

    /** Default of {@link Builder#maxConnectionsPerAddress(int)}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 50;
    /** Default of {@link Builder#maxSessionsPerAccount(int)}. */
    public static final int DEFAULT_MAX_SESSIONS_PER_ACCOUNT = 20;
    /** Default of {@link Builder#inboundBytesPerSecond(int)}: 32 KiB/s. */
    public static final int DEFAULT_INBOUND_BYTES_PER_SECOND = 32 * 1024;
    /** Default of {@link Builder#inboundBurstBytes(int)}: one largest stanza. */
    public static final int DEFAULT_INBOUND_BURST_BYTES = XmppDecoderConfig.DEFAULT_MAX_STANZA_BYTES;
    /** Default of {@link Builder#maxPendingOutboundBytes(int)}: 1 MiB. */
    public static final int DEFAULT_MAX_PENDING_OUTBOUND_BYTES = 1024 * 1024;
    /** Default of {@link Builder#negotiationTimeout(Duration)}, in seconds. */
    public static final int DEFAULT_NEGOTIATION_TIMEOUT_SECONDS = 60;
    /** Default of {@link Builder#pingInterval(Duration)}, in seconds. */
    public static final int DEFAULT_PING_INTERVAL_SECONDS = 240;
    /** Default of {@link Builder#authFailuresPerAddress(int)}. */
    public static final int DEFAULT_AUTH_FAILURES_PER_ADDRESS = 20;
    /** Default of {@link Builder#authFailuresPerAccount(int)}. */
    public static final int DEFAULT_AUTH_FAILURES_PER_ACCOUNT = 20;
    /** Default of {@link Builder#authLockTime(Duration)}, in seconds. */
    public static final int DEFAULT_AUTH_LOCK_SECONDS = 300;
    /** Default of {@link Builder#authFailureDelay(Duration)}, in milliseconds. */
    public static final int DEFAULT_AUTH_FAILURE_DELAY_MILLIS = 250;
    /** The longest delay before answering a failed authentication, in milliseconds. */
    public static final int MAX_AUTH_FAILURE_DELAY_MILLIS = 8000;
    /** Default of {@link Builder#parserReleaseDelay(Duration)}, in seconds. */
    static final int DEFAULT_PARSER_RELEASE_SECONDS = 10;

    private final int maxConnectionsPerAddress;
    private final int maxSessionsPerAccount;
    private final int inboundBytesPerSecond;
    private final int inboundBurstBytes;
    private final int maxPendingOutboundBytes;
    private final Duration negotiationTimeout;
    private final Duration pingInterval;
    private final int authFailuresPerAddress;
    private final int authFailuresPerAccount;
    private final Duration authLockTime;
    private final Duration authFailureDelay;
    private final XmppDecoderConfig decoder;
    private final Duration parserReleaseDelay;

    private C2sLimits(Builder b) {
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.maxSessionsPerAccount = b.maxSessionsPerAccount;
        this.inboundBytesPerSecond = b.inboundBytesPerSecond;
        this.inboundBurstBytes = b.inboundBurstBytes;
        this.maxPendingOutboundBytes = b.maxPendingOutboundBytes;
        this.negotiationTimeout = b.negotiationTimeout;
        this.pingInterval = b.pingInterval;
        this.authFailuresPerAddress = b.authFailuresPerAddress;
        this.authFailuresPerAccount = b.authFailuresPerAccount;
        this.authLockTime = b.authLockTime;
        this.authFailureDelay = b.authFailureDelay;
        this.parserReleaseDelay = b.parserReleaseDelay;
        this.decoder = b.decoder != null ? b.decoder
                : XmppDecoderConfig.builder().contentNamespaces(StreamNamespaces.CLIENT).build();
    }

    /** The defaults. */
    public static C2sLimits defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the limits from the environment variables in the class description; unset ones keep
     * their defaults.
     *
     * @throws IllegalArgumentException naming the variable whose value is not a positive integer
     */
    public static C2sLimits fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        XmppDecoderConfig.Builder d = XmppDecoderConfig.builder().contentNamespaces(StreamNamespaces.CLIENT);
        positive(env, "XMPP_MAX_CONNECTIONS_PER_IP", b::maxConnectionsPerAddress);
        positive(env, "XMPP_MAX_SESSIONS_PER_ACCOUNT", b::maxSessionsPerAccount);
        positive(env, "XMPP_C2S_RATE_BYTES", b::inboundBytesPerSecond);
        positive(env, "XMPP_C2S_BURST_BYTES", b::inboundBurstBytes);
        positive(env, "XMPP_MAX_PENDING_OUTBOUND_BYTES", b::maxPendingOutboundBytes);
        positive(env, "XMPP_NEGOTIATION_TIMEOUT_SECONDS", v -> b.negotiationTimeout(Duration.ofSeconds(v)));
        positive(env, "XMPP_PING_INTERVAL_SECONDS", v -> b.pingInterval(Duration.ofSeconds(v)));
        positive(env, "XMPP_AUTH_FAILURES_PER_IP", b::authFailuresPerAddress);
        positive(env, "XMPP_AUTH_FAILURES_PER_ACCOUNT", b::authFailuresPerAccount);
        positive(env, "XMPP_AUTH_LOCK_SECONDS", v -> b.authLockTime(Duration.ofSeconds(v)));
        positive(env, "XMPP_AUTH_FAILURE_DELAY_MILLIS", v -> b.authFailureDelay(Duration.ofMillis(v)));
        positive(env, "XMPP_MAX_STANZA_BYTES", d::maxStanzaBytes);
        positive(env, "XMPP_MAX_HEADER_BYTES", d::maxHeaderBytes);
        positive(env, "XMPP_MAX_XML_DEPTH", d::maxDepth);
        positive(env, "XMPP_MAX_XML_ATTRIBUTES", d::maxAttributes);
        positive(env, "XMPP_MAX_ATTRIBUTE_LENGTH", d::maxAttributeValueLength);
        positive(env, "XMPP_MAX_TEXT_LENGTH", d::maxTextLength);
        positive(env, "XMPP_MAX_NAME_LENGTH", d::maxNameLength);
        return b.decoder(d.build()).build();
    }

    private static void positive(Map<String, String> env, String name, IntConsumer setter) {
        String value = env.get(name);
        if (value == null) {
            return;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed < 1) {
            throw new IllegalArgumentException(name + " must be a positive integer, not '" + value + "'");
        }
        setter.accept(parsed);
    }

    /** Open connections allowed from one IP address. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** Resources one account may bind at once. */
    public int maxSessionsPerAccount() {
        return maxSessionsPerAccount;
    }

    /** Sustained bytes per second read from one connection. */
    public int inboundBytesPerSecond() {
        return inboundBytesPerSecond;
    }

    /** Bytes one connection may send at once before the rate applies. */
    public int inboundBurstBytes() {
        return inboundBurstBytes;
    }

    /** Bytes written to one connection and not yet taken by the client. */
    public int maxPendingOutboundBytes() {
        return maxPendingOutboundBytes;
    }

    /** Time from connecting to a bound resource. */
    public Duration negotiationTimeout() {
        return negotiationTimeout;
    }

    /** Silence from the client before a ping, and again before the stream ends. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** Failed authentications from one address before it is locked out. */
    public int authFailuresPerAddress() {
        return authFailuresPerAddress;
    }

    /** Failed authentications for one account before it is locked. */
    public int authFailuresPerAccount() {
        return authFailuresPerAccount;
    }

    /** How long failures count and a lock lasts. */
    public Duration authLockTime() {
        return authLockTime;
    }

    /** The delay before answering a first failure. */
    public Duration authFailureDelay() {
        return authFailureDelay;
    }

    /** The XML limits of client streams. */
    public XmppDecoderConfig decoder() {
        return decoder;
    }

    /** Silence from the client before its stream decoder lets go of its XML reader. */
    Duration parserReleaseDelay() {
        return parserReleaseDelay;
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.maxSessionsPerAccount = maxSessionsPerAccount;
        b.inboundBytesPerSecond = inboundBytesPerSecond;
        b.inboundBurstBytes = inboundBurstBytes;
        b.maxPendingOutboundBytes = maxPendingOutboundBytes;
        b.negotiationTimeout = negotiationTimeout;
        b.pingInterval = pingInterval;
        b.authFailuresPerAddress = authFailuresPerAddress;
        b.authFailuresPerAccount = authFailuresPerAccount;
        b.authLockTime = authLockTime;
        b.authFailureDelay = authFailureDelay;
        b.decoder = decoder;
        b.parserReleaseDelay = parserReleaseDelay;
        return b;
    }

    /** Builds {@link C2sLimits}; not thread-safe. */
    public static final class Builder {
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int maxSessionsPerAccount = DEFAULT_MAX_SESSIONS_PER_ACCOUNT;
        private int inboundBytesPerSecond = DEFAULT_INBOUND_BYTES_PER_SECOND;
        private int inboundBurstBytes = DEFAULT_INBOUND_BURST_BYTES;
        private int maxPendingOutboundBytes = DEFAULT_MAX_PENDING_OUTBOUND_BYTES;
        private Duration negotiationTimeout = Duration.ofSeconds(DEFAULT_NEGOTIATION_TIMEOUT_SECONDS);
        private Duration pingInterval = Duration.ofSeconds(DEFAULT_PING_INTERVAL_SECONDS);
        private int authFailuresPerAddress = DEFAULT_AUTH_FAILURES_PER_ADDRESS;
        private int authFailuresPerAccount = DEFAULT_AUTH_FAILURES_PER_ACCOUNT;
        private Duration authLockTime = Duration.ofSeconds(DEFAULT_AUTH_LOCK_SECONDS);
        private Duration authFailureDelay = Duration.ofMillis(DEFAULT_AUTH_FAILURE_DELAY_MILLIS);
        private XmppDecoderConfig decoder;
        private Duration parserReleaseDelay = Duration.ofSeconds(DEFAULT_PARSER_RELEASE_SECONDS);

        private Builder() {
        }

        /** Open connections allowed from one IP address; at least 1. */
        public Builder maxConnectionsPerAddress(int value) {
            this.maxConnectionsPerAddress = atLeastOne(value, "maxConnectionsPerAddress");
            return this;
        }

        /** Resources one account may bind at once; at least 1. */
        public Builder maxSessionsPerAccount(int value) {
            this.maxSessionsPerAccount = atLeastOne(value, "maxSessionsPerAccount");
            return this;
        }

        /** Sustained bytes per second read from one connection; at least 1. */
        public Builder inboundBytesPerSecond(int value) {
            this.inboundBytesPerSecond = atLeastOne(value, "inboundBytesPerSecond");
            return this;
        }

        /** Bytes one connection may send at once before the rate applies; at least 1. */
        public Builder inboundBurstBytes(int value) {
            this.inboundBurstBytes = atLeastOne(value, "inboundBurstBytes");
            return this;
        }

        /** Bytes written to one connection and not yet taken by the client; at least 1. */
        public Builder maxPendingOutboundBytes(int value) {
            this.maxPendingOutboundBytes = atLeastOne(value, "maxPendingOutboundBytes");
            return this;
        }

        /** Time from connecting to a bound resource; positive. */
        public Builder negotiationTimeout(Duration value) {
            this.negotiationTimeout = positive(value, "negotiationTimeout");
            return this;
        }

        /** Silence from the client before a ping; positive. */
        public Builder pingInterval(Duration value) {
            this.pingInterval = positive(value, "pingInterval");
            return this;
        }

        /** Failed authentications from one address before a lock; at least 1. */
        public Builder authFailuresPerAddress(int value) {
            this.authFailuresPerAddress = atLeastOne(value, "authFailuresPerAddress");
            return this;
        }

        /** Failed authentications for one account before a lock; at least 1. */
        public Builder authFailuresPerAccount(int value) {
            this.authFailuresPerAccount = atLeastOne(value, "authFailuresPerAccount");
            return this;
        }

        /** How long failures count and a lock lasts; positive. */
        public Builder authLockTime(Duration value) {
            this.authLockTime = positive(value, "authLockTime");
            return this;
        }

        /** The delay before answering a first failure; zero for none. */
        public Builder authFailureDelay(Duration value) {
            if (Objects.requireNonNull(value).isNegative()) {
                throw new IllegalArgumentException("authFailureDelay must not be negative");
            }
            this.authFailureDelay = value;
            return this;
        }

        /** The XML limits of client streams; its content namespaces should be {@code jabber:client} only. */
        public Builder decoder(XmppDecoderConfig value) {
            this.decoder = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Silence from the client before its stream decoder lets go of its XML reader (a few KB) until
         * the next read; positive. Not a limit but a trade: starting a reader again costs about as
         * much as decoding a small stanza, so busy connections should keep theirs.
         */
        Builder parserReleaseDelay(Duration value) {
            this.parserReleaseDelay = positive(value, "parserReleaseDelay");
            return this;
        }

        /** Builds the limits. */
        public C2sLimits build() {
            return new C2sLimits(this);
        }

        private static int atLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            if (Objects.requireNonNull(value).isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
