package dev.mu.xmpp.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.callback.CallbackHandler;
import org.jivesoftware.smack.SASLAuthentication;
import org.jivesoftware.smack.SmackException.SmackSaslException;
import org.jivesoftware.smack.sasl.SASLMechanism;

/**
 * The client side of SCRAM-SHA-256 and SCRAM-SHA-256-PLUS with {@code tls-server-end-point} for
 * Smack 4.4, which only has SCRAM-SHA-1; tests only. Passwords are used as UTF-8 without SASLprep,
 * which is exact for the ASCII passwords the tests use.
 *
 * <p>Not thread-safe; Smack makes one instance per authentication with {@link #newInstance()}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5802#section-3">RFC 5802 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7677">RFC 7677</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5929#section-4">RFC 5929 §4</a>
 */
public final class ScramSha256ClientMechanism extends SASLMechanism {

    /** The mechanism's name. */
    public static final String NAME = "SCRAM-SHA-256";
    /** The channel-binding variant's name. */
    public static final String NAME_PLUS = "SCRAM-SHA-256-PLUS";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean plus;
    private String clientNonce;
    private String clientFirstBare;
    private String gs2Header;
    private byte[] expectedServerSignature;
    private boolean serverVerified;

    private ScramSha256ClientMechanism(boolean plus) {
        this.plus = plus;
    }

    /** Registers both variants with Smack, once per JVM. */
    public static synchronized void register() {
        if (!SASLAuthentication.isSaslMechanismRegistered(NAME)) {
            SASLAuthentication.registerSASLMechanism(new ScramSha256ClientMechanism(false));
        }
        if (!SASLAuthentication.isSaslMechanismRegistered(NAME_PLUS)) {
            SASLAuthentication.registerSASLMechanism(new ScramSha256ClientMechanism(true));
        }
    }

    @Override
    public String getName() {
        return plus ? NAME_PLUS : NAME;
    }

    @Override
    public int getPriority() {
        // Below Smack's SCRAM-SHA-1 (110); the tests restrict the enabled mechanisms anyway.
        return plus ? 98 : 99;
    }

    @Override
    protected void authenticateInternal(CallbackHandler cbh) {
        throw new UnsupportedOperationException("password authentication only");
    }

    /** RFC 5802 §7 client-first-message: gs2-header, then n=user,r=nonce. */
    @Override
    protected byte[] getAuthenticationText() {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        clientNonce = Base64.getEncoder().encodeToString(random);
        gs2Header = plus ? "p=tls-server-end-point,," : "n,,";
        clientFirstBare = "n=" + saslName(authenticationId) + ",r=" + clientNonce;
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected byte[] evaluateChallenge(byte[] challenge) throws SmackSaslException {
        String message = new String(challenge, StandardCharsets.UTF_8);
        Map<Character, String> attributes = attributes(message);
        if (expectedServerSignature == null) {
            return clientFinal(message, attributes);
        }
        // RFC 5802 §3: the client MUST verify ServerSignature before trusting the outcome.
        if (attributes.containsKey('e')) {
            throw new SmackSaslException("server-final error: " + attributes.get('e'));
        }
        byte[] signature = Base64.getDecoder().decode(require(attributes, 'v'));
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new SmackSaslException("server signature mismatch");
        }
        serverVerified = true;
        return null;
    }

    private byte[] clientFinal(String serverFirst, Map<Character, String> attributes) throws SmackSaslException {
        String nonce = require(attributes, 'r');
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new SmackSaslException("server nonce does not extend the client nonce");
        }
        byte[] salt = Base64.getDecoder().decode(require(attributes, 's'));
        int iterations = Integer.parseInt(require(attributes, 'i'));
        byte[] cbindInput = concat(gs2Header.getBytes(StandardCharsets.UTF_8), plus ? serverEndPoint() : new byte[0]);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbindInput) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] salted = hi(password, salt, iterations);
            byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
            }
            byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
            expectedServerSignature = hmac(serverKey, authMessage);
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SmackSaslException(e);
        }
    }

    /** RFC 5929 §4.1: the certificate's hash, SHA-256 when it is signed with MD5 or SHA-1. */
    private byte[] serverEndPoint() throws SmackSaslException {
        if (sslSession == null) {
            throw new SmackSaslException(NAME_PLUS + " needs the TLS session");
        }
        try {
            Certificate[] chain = sslSession.getPeerCertificates();
            X509Certificate cert = (X509Certificate) chain[0];
            String sigAlg = cert.getSigAlgName().toUpperCase(Locale.ROOT);
            String hash = sigAlg.startsWith("SHA384") ? "SHA-384" : sigAlg.startsWith("SHA512") ? "SHA-512" : "SHA-256";
            return MessageDigest.getInstance(hash).digest(cert.getEncoded());
        } catch (SSLPeerUnverifiedException | GeneralSecurityException e) {
            throw new SmackSaslException(e);
        }
    }

    @Override
    protected void checkIfSuccessfulOrThrow() throws SmackSaslException {
        if (!serverVerified) {
            throw new SmackSaslException("the server did not prove it knows the password");
        }
    }

    @Override
    public boolean authzidSupported() {
        return false;
    }

    @Override
    protected SASLMechanism newInstance() {
        return new ScramSha256ClientMechanism(plus);
    }

    /** RFC 5802 §2.2: Hi() is PBKDF2 with HMAC-SHA-256 and one block of output. */
    private static byte[] hi(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static String saslName(String user) {
        return user.replace("=", "=3D").replace(",", "=2C");
    }

    private static Map<Character, String> attributes(String message) throws SmackSaslException {
        Map<Character, String> out = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() < 2 || part.charAt(1) != '=') {
                throw new SmackSaslException("bad SCRAM attribute '" + part + "' in " + message);
            }
            out.put(part.charAt(0), part.substring(2));
        }
        return out;
    }

    private static String require(Map<Character, String> attributes, char name) throws SmackSaslException {
        String value = attributes.get(name);
        if (value == null) {
            throw new SmackSaslException("missing SCRAM attribute " + name);
        }
        return value;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
