package dev.mu.xmpp.server.sm;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server runs XEP-0198 stream management on client streams; immutable.
 *
 * <table class="striped">
 * <caption>Settings and defaults</caption>
 * <thead><tr><th>Setting</th><th>Default</th><th>Environment</th><th>Meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@link Builder#enabled(boolean) enabled}</td><td>{@code true}</td><td>{@code XMPP_SM}</td>
 *     <td>whether {@code <sm xmlns='urn:xmpp:sm:3'/>} is offered at all</td></tr>
 * <tr><td>{@link Builder#resumptionTimeout(Duration) resumptionTimeout}</td>
 *     <td>{@value #DEFAULT_RESUMPTION_TIMEOUT_SECONDS} s</td><td>{@code XMPP_SM_RESUMPTION_TIMEOUT_SECONDS}</td>
 *     <td>how long a session whose connection broke stays resumable; advertised as {@code max}</td></tr>
 * <tr><td>{@link Builder#maxUnacked(int) maxUnacked}</td><td>{@value #DEFAULT_MAX_UNACKED}</td>
 *     <td>{@code XMPP_SM_MAX_UNACKED}</td><td>stanzas kept for retransmission; a client that lets more pile
 *     up is disconnected with {@code policy-violation}, and its stanzas are handled as undelivered</td></tr>
 * <tr><td>{@link Builder#ackRequestEvery(int) ackRequestEvery}</td><td>{@value #DEFAULT_ACK_REQUEST_EVERY}</td>
 *     <td>none</td><td>the server sends {@code <r/>} after this many stanzas since its last request</td></tr>
 * </tbody>
 * </table>
 *
 * @see <a href="https://xmpp.org/extensions/xep-0198.html">XEP-0198</a>
 */
public final class StreamManagementConfig {

    /** Default of {@link Builder#resumptionTimeout(Duration)}, in seconds. */
    public static final int DEFAULT_RESUMPTION_TIMEOUT_SECONDS = 300;
    /** Default of {@link Builder#maxUnacked(int)}. */
    public static final int DEFAULT_MAX_UNACKED = 1000;
    /** Default of {@link Builder#ackRequestEvery(int)}. */
    public static final int DEFAULT_ACK_REQUEST_EVERY = 5;

    private final boolean enabled;
    private final Duration resumptionTimeout;
    private final int maxUnacked;
    private final int ackRequestEvery;

    private StreamManagementConfig(Builder b) {
        this.enabled = b.enabled;
        this.resumptionTimeout = b.resumptionTimeout;
        this.maxUnacked = b.maxUnacked;
        this.ackRequestEvery = b.ackRequestEvery;
    }

    /** The defaults. */
    public static StreamManagementConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether stream management is offered. */
    public boolean enabled() {
        return enabled;
    }

    /** How long a broken session stays resumable. */
    public Duration resumptionTimeout() {
        return resumptionTimeout;
    }

    /** The most stanzas kept unacknowledged. */
    public int maxUnacked() {
        return maxUnacked;
    }

    /** Stanzas sent between two acknowledgement requests. */
    public int ackRequestEvery() {
        return ackRequestEvery;
    }

    /** Builds a {@link StreamManagementConfig}; not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private Duration resumptionTimeout = Duration.ofSeconds(DEFAULT_RESUMPTION_TIMEOUT_SECONDS);
        private int maxUnacked = DEFAULT_MAX_UNACKED;
        private int ackRequestEvery = DEFAULT_ACK_REQUEST_EVERY;

        private Builder() {
        }

        /** Whether stream management is offered. */
        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /** How long a broken session stays resumable; zero turns resumption off. */
        public Builder resumptionTimeout(Duration value) {
            if (Objects.requireNonNull(value).isNegative()) {
                throw new IllegalArgumentException("resumptionTimeout must not be negative");
            }
            this.resumptionTimeout = value;
            return this;
        }

        /** The most stanzas kept unacknowledged; at least 1. */
        public Builder maxUnacked(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxUnacked must be at least 1");
            }
            this.maxUnacked = value;
            return this;
        }

        /** Stanzas between two acknowledgement requests; at least 1. */
        public Builder ackRequestEvery(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("ackRequestEvery must be at least 1");
            }
            this.ackRequestEvery = value;
            return this;
        }

        /** Builds the configuration. */
        public StreamManagementConfig build() {
            return new StreamManagementConfig(this);
        }
    }
}
