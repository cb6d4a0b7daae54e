package dev.mu.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rocks.xmpp.precis.PrecisProfiles;

/** One SCRAM exchange on the server (RFC 5802 §5): client-first, server-first, client-final, server-final. */
final class ScramServer implements SaslServer {
    private static final Logger LOG = LoggerFactory.getLogger(ScramServer.class);
    private static final String FAILED = "authentication failed";

    private enum State { INITIAL, AWAIT_CLIENT_FIRST, AWAIT_CLIENT_FINAL, DONE }

    private final ScramHash hash;
    private final boolean plus;
    private final String name;
    private final byte[] unknownUserSecret;
    private final SaslContext context;

    private State state = State.INITIAL;
    private String username;
    private String authzid;
    private byte[] expectedChannelBinding;
    private String nonce;
    private String clientFirstBare;
    private String serverFirst;
    private ScramCredentials credentials;
    private boolean knownUser;

    ScramServer(ScramHash hash, boolean plus, String name, byte[] unknownUserSecret, SaslContext context) {
        this.hash = hash;
        this.plus = plus;
        this.name = name;
        this.unknownUserSecret = unknownUserSecret;
        this.context = context;
    }

    @Override
    public SaslStep evaluate(byte[] response) {
        State current = state;
        state = State.DONE;
        try {
            switch (current) {
                case INITIAL:
                    if (response.length == 0) {
                        // RFC 6120 §6.4.2: without an initial response the server sends an empty challenge.
                        state = State.AWAIT_CLIENT_FIRST;
                        return new SaslStep.Challenge(new byte[0]);
                    }
                    return clientFirst(response);
                case AWAIT_CLIENT_FIRST:
                    return clientFirst(response);
                case AWAIT_CLIENT_FINAL:
                    return clientFinal(response);
                default:
                    return new SaslStep.Failure(SaslFailure.MALFORMED_REQUEST, "exchange already complete");
            }
        } catch (SaslRejection r) {
            return r.toStep();
        } catch (RuntimeException e) {
            // The credential store or a context callback failed; no exception reaches the transport.
            LOG.warn("{} exchange failed on the server side", name, e);
            return new SaslStep.Failure(SaslFailure.TEMPORARY_AUTH_FAILURE, "internal error");
        }
    }

    private SaslStep clientFirst(byte[] response) throws SaslRejection {
        String message = SaslText.utf8(response);
        String[] parts = message.split(",", -1);
        if (parts.length < 4) {
            throw SaslText.malformed("too few attributes");
        }
        String gs2Header = parts[0] + "," + parts[1] + ",";
        byte[] cbindData = channelBindingFlag(parts[0]);
        if (parts[1].startsWith("a=")) {
            authzid = SaslText.saslName(parts[1].substring(2));
        } else if (!parts[1].isEmpty()) {
            throw SaslText.malformed("bad gs2 header");
        }
        if (parts[2].startsWith("m=")) {
            // RFC 5802 §5.1: the presence of 'm' "MUST cause authentication failure".
            throw SaslText.malformed("mandatory extension not supported");
        }
        if (!parts[2].startsWith("n=") || !parts[3].startsWith("r=")) {
            throw SaslText.malformed("expected n= and r=");
        }
        String clientNonce = parts[3].substring(2);
        if (!SaslText.isPrintable(clientNonce)) {
            throw SaslText.malformed("bad nonce");
        }
        checkExtensions(parts, 4, parts.length);
        String rawUsername = SaslText.saslName(parts[2].substring(2));
        try {
            username = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(rawUsername);
        } catch (IllegalArgumentException e) {
            // RFC 5802 §5.1: "If the preparation of the username fails or results in an empty
            // string, the server SHOULD abort the authentication exchange." No such user can exist.
            throw new SaslRejection(SaslFailure.NOT_AUTHORIZED, FAILED);
        }
        Optional<ScramCredentials> stored = context.credentials().scram(username, hash);
        knownUser = stored.isPresent();
        credentials = stored.orElseGet(this::unknownUserCredentials);
        String serverNonce = context.newNonce();
        if (!SaslText.isPrintable(serverNonce)) {
            throw new IllegalStateException("the nonce generator returned a nonce that is not printable ASCII");
        }
        expectedChannelBinding = concat(gs2Header.getBytes(StandardCharsets.UTF_8), cbindData);
        nonce = clientNonce + serverNonce;
        clientFirstBare = message.substring(gs2Header.length());
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt())
                + ",i=" + credentials.iterations() + downgradeProtection();
        state = State.AWAIT_CLIENT_FINAL;
        return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * XEP-0474: the optional attribute "h", the base64 hash (with this mechanism's hash function) of
     * the mechanisms and channel-binding types the server advertised. Being part of the
     * AuthMessage, it is signed by the password, so a client can detect a list an attacker edited.
     */
    private String downgradeProtection() {
        return context.downgradeProtectionInput()
                .map(s -> ",h=" + Base64.getEncoder().encodeToString(hash.digest(s.getBytes(StandardCharsets.US_ASCII))))
                .orElse("");
    }

    @Override
    public String authenticationIdentity() {
        return username;
    }

    /** Checks the gs2 channel-binding flag and returns the binding data it selects, empty for none. */
    private byte[] channelBindingFlag(String flag) throws SaslRejection {
        if (flag.equals("n") || flag.equals("y")) {
            if (plus) {
                // RFC 5802 §6: a client that selects the -PLUS variant does channel binding ("p").
                throw SaslText.malformed(name + " requires channel binding");
            }
            if (flag.equals("y") && context.channelBindingAvailable()) {
                // RFC 5802 §6: "If the flag is set to "y" and the server supports channel binding,
                // the server MUST fail authentication." The -PLUS variant was stripped on the way.
                throw new SaslRejection(SaslFailure.NOT_AUTHORIZED, "channel binding downgrade");
            }
            return new byte[0];
        }
        if (!flag.startsWith("p=") || !isChannelBindingName(flag.substring(2))) {
            throw SaslText.malformed("bad gs2 channel binding flag");
        }
        if (!plus) {
            throw SaslText.malformed(name + " does not negotiate channel binding; use " + name + "-PLUS");
        }
        return context.channelBindingData(flag.substring(2))
                .orElseThrow(() -> new SaslRejection(SaslFailure.NOT_AUTHORIZED, "unsupported channel binding type"));
    }

    private SaslStep clientFinal(byte[] response) throws SaslRejection {
        String message = SaslText.utf8(response);
        String[] parts = message.split(",", -1);
        if (parts.length < 3 || !parts[0].startsWith("c=") || !parts[1].startsWith("r=")
                || !parts[parts.length - 1].startsWith("p=")) {
            throw SaslText.malformed("expected c=, r= and p=");
        }
        checkExtensions(parts, 2, parts.length - 1);
        byte[] channelBinding = SaslText.base64(parts[0].substring(2));
        byte[] proof = SaslText.base64(parts[parts.length - 1].substring(2));
        String withoutProof = message.substring(0, message.length() - parts[parts.length - 1].length() - 1);

        // RFC 5802 §5.1: the client-final nonce is the combined nonce of server-first; a stale or
        // altered one is a replay. Every secret-dependent comparison here runs in constant time.
        boolean nonceMatches = MessageDigest.isEqual(parts[1].substring(2).getBytes(StandardCharsets.UTF_8),
                nonce.getBytes(StandardCharsets.UTF_8));
        boolean bindingMatches = MessageDigest.isEqual(channelBinding, expectedChannelBinding);
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = hash.hmac(credentials.storedKey(), authMessage);
        boolean proofMatches = proof.length == clientSignature.length
                && MessageDigest.isEqual(hash.digest(xor(proof, clientSignature)), credentials.storedKey())
                && knownUser;
        if (!nonceMatches) {
            throw new SaslRejection(SaslFailure.NOT_AUTHORIZED, "nonce mismatch");
        }
        if (!bindingMatches) {
            throw new SaslRejection(SaslFailure.NOT_AUTHORIZED, "channel binding mismatch");
        }
        if (!proofMatches) {
            throw new SaslRejection(SaslFailure.NOT_AUTHORIZED, FAILED);
        }
        if (!context.credentials().isEnabled(username)) {
            throw new SaslRejection(SaslFailure.ACCOUNT_DISABLED, "account disabled");
        }
        if (authzid != null && !context.authzidAllowed(username, authzid)) {
            throw new SaslRejection(SaslFailure.INVALID_AUTHZID, "not authorized to act as " + authzid);
        }
        byte[] serverSignature = hash.hmac(credentials.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new SaslStep.Success(serverFinal.getBytes(StandardCharsets.UTF_8), username, authzid);
    }

    /** Unknown users get a stable salt, the default iteration count and keys no proof can match. */
    private ScramCredentials unknownUserCredentials() {
        byte[] seed = ("\0" + username).getBytes(StandardCharsets.UTF_8);
        byte[] salt = ScramHash.SHA_256.hmac(unknownUserSecret, concat("salt".getBytes(StandardCharsets.US_ASCII), seed));
        byte[] key = hash.hmac(unknownUserSecret, concat("key".getBytes(StandardCharsets.US_ASCII), seed));
        return new ScramCredentials(Arrays.copyOf(salt, ScramCredentials.DEFAULT_SALT_LENGTH),
                ScramCredentials.DEFAULT_ITERATIONS, key, key);
    }

    /** RFC 5802 §7: extensions are attr-val pairs, ignored unless understood; none are understood. */
    private static void checkExtensions(String[] parts, int from, int to) throws SaslRejection {
        for (int i = from; i < to; i++) {
            if (!SaslText.isAttribute(parts[i])) {
                throw SaslText.malformed("bad attribute");
            }
        }
    }

    /** RFC 5802 §7, {@code cb-name}: letters, digits, dots and hyphens. */
    private static boolean isChannelBindingName(String cbName) {
        return !cbName.isEmpty() && cbName.chars().allMatch(c ->
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-');
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
