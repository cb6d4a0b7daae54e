package dev.mu.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * PLAIN: the client sends its username and password, which the credential store verifies.
 *
 * <p>Immutable and thread-safe. Unless built to allow cleartext, the mechanism is offered and
 * accepted only over TLS: "implementations SHOULD NOT advertise and SHOULD NOT make use of the
 * PLAIN mechanism unless adequate data security services are in place" (RFC 4616 §3).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4616">RFC 4616</a>
 */
public final class PlainMechanism implements SaslMechanism {

    /** The mechanism name. */
    public static final String NAME = "PLAIN";

    private final boolean cleartextAllowed;

    /** Creates the mechanism for TLS-secured streams only. */
    public PlainMechanism() {
        this(false);
    }

    /**
     * Creates the mechanism.
     *
     * @param cleartextAllowed whether PLAIN may also be used over a stream without TLS, which
     *                         exposes the password to anyone on the path; for tests on loopback
     */
    public PlainMechanism(boolean cleartextAllowed) {
        this.cleartextAllowed = cleartextAllowed;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresChannelBinding() {
        return false;
    }

    @Override
    public boolean requiresTls() {
        return !cleartextAllowed;
    }

    @Override
    public SaslServer newServer(SaslContext context) {
        return new Server(context, cleartextAllowed);
    }

    private static final class Server implements SaslServer {
        private static final Logger LOG = LoggerFactory.getLogger(PlainMechanism.class);
        private static final String FAILED = "authentication failed";

        private final SaslContext context;
        private final boolean cleartextAllowed;
        private int calls;
        private String username;

        Server(SaslContext context, boolean cleartextAllowed) {
            this.context = context;
            this.cleartextAllowed = cleartextAllowed;
        }

        @Override
        public SaslStep evaluate(byte[] response) {
            int call = ++calls;
            if (call > 2 || (call == 2 && response.length == 0)) {
                calls = 3;
                return new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "exchange already complete");
            }
            if (!context.tlsSecured() && !cleartextAllowed) {
                calls = 3;
                return new SaslStep.Failure(SaslFailure.ENCRYPTION_REQUIRED, "PLAIN requires TLS");
            }
            if (call == 1 && response.length == 0) {
                // RFC 6120 §6.4.2: without an initial response the server sends an empty challenge.
                return new SaslStep.Challenge(new byte[0]);
            }
            calls = 3;
            try {
                return authenticate(response);
            } catch (SaslRejection r) {
                return r.toStep();
            } catch (RuntimeException e) {
                LOG.warn("PLAIN exchange failed on the server side", e);
                return new SaslStep.Failure(SaslFailure.TEMPORARY_AUTH_FAILURE, "internal error");
            }
        }

        /** RFC 4616 §2: {@code message = [authzid] UTF8NUL authcid UTF8NUL passwd}. */
        private SaslStep authenticate(byte[] response) throws SaslRejection {
            String[] fields = SaslText.utf8(response).split("\0", -1);
            if (fields.length != 3 || fields[1].isEmpty() || fields[2].isEmpty()) {
                throw SaslText.malformed("expected authzid NUL authcid NUL passwd");
            }
            String password;
            try {
                username = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(fields[1]);
                password = PrecisProfiles.OPAQUE_STRING.enforce(fields[2]);
            } catch (IllegalArgumentException e) {
                // RFC 8265 §3.3 and §4.2 (which replace SASLprep of RFC 4616 §2): what fails PRECIS cannot match.
                throw new SaslRejection(SaslFailure.NOT_AUTHORIZED, FAILED);
            }
            CredentialStore store = context.credentials();
            if (!store.verifyPassword(username, password)) {
                throw new SaslRejection(SaslFailure.NOT_AUTHORIZED, FAILED);
            }
            if (!store.isEnabled(username)) {
                throw new SaslRejection(SaslFailure.ACCOUNT_DISABLED, "account disabled");
            }
            String authzid = fields[0].isEmpty() ? null : fields[0];
            if (authzid != null && !context.authzidAllowed(username, authzid)) {
                throw new SaslRejection(SaslFailure.INVALID_AUTHZID, "not authorized to act as " + authzid);
            }
            return new SaslStep.Success(new byte[0], username, authzid);
        }

        @Override
        public String authenticationIdentity() {
            return username;
        }
    }

    @Override
    public String toString() {
        return NAME + (cleartextAllowed ? " (cleartext allowed)" : "");
    }
}
