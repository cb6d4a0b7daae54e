package dev.mu.xmpp.sasl;

import java.util.Set;

/**
 * EXTERNAL: authenticates the peer by the identity the transport validated in its TLS
 * certificate, as servers do for server-to-server streams (XEP-0178).
 *
 * <p>Immutable and thread-safe. The client's message is the authorization identity it wants,
 * which must be one of {@link SaslContext#peerIdentities()} (compared ignoring case, as domain
 * names are, RFC 4343); an empty message is accepted when the certificate proves exactly one
 * identity. Both an absent and an empty initial response count as an empty message, since
 * {@link SaslServer#evaluate} cannot tell them apart.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4422#appendix-A">RFC 4422 Appendix A</a>
 */
public final class ExternalMechanism implements SaslMechanism {

    /** The mechanism name. */
    public static final String NAME = "EXTERNAL";

    /** Creates the mechanism. */
    public ExternalMechanism() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean requiresChannelBinding() {
        return false;
    }

    /** Always {@code true}: the identity comes from the TLS handshake. */
    @Override
    public boolean requiresTls() {
        return true;
    }

    @Override
    public SaslServer newServer(SaslContext context) {
        return new Server(context);
    }

    private static final class Server implements SaslServer {
        private final SaslContext context;
        private boolean done;

        Server(SaslContext context) {
            this.context = context;
        }

        @Override
        public SaslStep evaluate(byte[] response) {
            if (done) {
                return new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "exchange already complete");
            }
            done = true;
            if (!context.tlsSecured()) {
                return new SaslStep.Failure(SaslFailure.ENCRYPTION_REQUIRED, "EXTERNAL requires TLS");
            }
            String authzid;
            try {
                authzid = SaslText.utf8(response);
            } catch (SaslRejection r) {
                return r.toStep();
            }
            Set<String> identities = context.peerIdentities();
            if (authzid.isEmpty()) {
                // RFC 4422 App. A.1: with an empty authzid the server derives the identity from
                // the credentials, which it can only do when they prove exactly one.
                return identities.size() == 1
                        ? new SaslStep.Success(new byte[0], identities.iterator().next(), null)
                        : new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, "certificate identity is ambiguous or missing");
            }
            for (String identity : identities) {
                if (identity.equalsIgnoreCase(authzid)) {
                    return new SaslStep.Success(new byte[0], identity, authzid);
                }
            }
            return new SaslStep.Failure(SaslFailure.NOT_AUTHORIZED, "certificate does not prove " + authzid);
        }
    }
}
