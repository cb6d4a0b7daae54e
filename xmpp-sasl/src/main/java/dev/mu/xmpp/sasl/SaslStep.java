package dev.mu.xmpp.sasl;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@link SaslServer} answers to one client response: a challenge, success or failure.
 *
 * <p>Byte arrays are copied in and out, so a step is immutable.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.4">RFC 6120 §6.4</a>
 */
public sealed interface SaslStep permits SaslStep.Challenge, SaslStep.Success, SaslStep.Failure {

    /**
     * A challenge to send in a {@code <challenge/>} element; the exchange goes on.
     *
     * @param data the challenge bytes, empty for an empty challenge
     */
    record Challenge(byte[] data) implements SaslStep {
        /** Creates a challenge, copying the data. */
        public Challenge {
            data = data.clone();
        }

        /** A copy of the challenge bytes. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge c && Arrays.equals(data, c.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Challenge[" + data.length + " bytes]";
        }
    }

    /**
     * The exchange succeeded; the transport sends {@code <success/>} with the additional data.
     *
     * @param additionalData    the additional data with success, e.g. SCRAM's server-final-message;
     *                          empty when there is none (RFC 6120 §6.3.10)
     * @param authenticatedUser the authenticated identity: the PRECIS-prepared username for
     *                          password mechanisms, the certificate identity for EXTERNAL
     * @param authorizationId   the authorization identity the client asked to act as and that the
     *                          context allowed, or {@code null} when the client sent none
     */
    record Success(byte[] additionalData, String authenticatedUser, String authorizationId) implements SaslStep {
        /** Creates a success, copying the additional data. */
        public Success {
            additionalData = additionalData.clone();
            Objects.requireNonNull(authenticatedUser, "authenticatedUser");
        }

        /** A copy of the additional data. */
        @Override
        public byte[] additionalData() {
            return additionalData.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Success s && Arrays.equals(additionalData, s.additionalData)
                    && authenticatedUser.equals(s.authenticatedUser)
                    && Objects.equals(authorizationId, s.authorizationId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(additionalData), authenticatedUser, authorizationId);
        }

        @Override
        public String toString() {
            return "Success[" + authenticatedUser + ", authzid=" + authorizationId + "]";
        }
    }

    /**
     * The exchange failed; the transport sends {@code <failure/>} with the condition.
     *
     * @param condition the RFC 6120 §6.5 condition
     * @param text      a human-readable reason for logs and the optional {@code <text/>}; it never
     *                  says whether an account exists
     */
    record Failure(SaslFailure condition, String text) implements SaslStep {
        /** Creates a failure. */
        public Failure {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(text, "text");
        }
    }
}
