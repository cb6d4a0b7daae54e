package dev.mu.xmpp.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * The client side of one SCRAM exchange without channel binding (gs2 header {@code n,,}), written
 * from RFC 5802 §3 and §5.
 *
 * <p>{@code Hi()} (4096 HMACs for the usual iteration count) dominates a client's login; RFC 5802
 * §5.1 lets a client store ClientKey and ServerKey for a salt and iteration count, so this client
 * looks them up in a shared cache first: a user's first login pays for the derivation, later logins
 * of the same user (the login storm logs users in again and again) do not. The server's work per
 * login is unaffected.
 *
 * <p>Not thread-safe: one instance per exchange. The cache must be thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5802#section-3">RFC 5802 §3</a>
 */
final class ScramClient {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String jcaName;
    private final String macName;
    private final String password;
    private final Map<String, byte[][]> keyCache;
    private final String clientFirstBare;
    private final String clientNonce;
    private byte[] serverSignature;

    /**
     * Starts an exchange.
     *
     * @param mechanism {@code SCRAM-SHA-1} or {@code SCRAM-SHA-256}
     * @param keyCache  ClientKey and ServerKey by hash, password, salt and iteration count
     */
    ScramClient(String mechanism, String username, String password, Map<String, byte[][]> keyCache) {
        this.jcaName = mechanism.substring("SCRAM-".length());
        this.macName = "Hmac" + jcaName.replace("-", "");
        this.password = PrecisProfiles.OPAQUE_STRING.enforce(password);
        this.keyCache = keyCache;
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
        // RFC 5802 §5.1: '=' and ',' in the username are sent as =3D and =2C.
        this.clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    }

    /** The client-first-message. */
    byte[] first() {
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The client-final-message for the server-first-message.
     *
     * @throws IllegalArgumentException if the server's message is malformed or its nonce does not
     *                                  extend ours (RFC 5802 §5.1)
     */
    byte[] fin(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String nonce = null;
        String salt = null;
        int iterations = 0;
        for (String attribute : serverFirst.split(",")) {
            if (attribute.length() < 2 || attribute.charAt(1) != '=') {
                throw new IllegalArgumentException("malformed server-first-message: " + serverFirst);
            }
            String value = attribute.substring(2);
            switch (attribute.charAt(0)) {
                case 'r' -> nonce = value;
                case 's' -> salt = value;
                case 'i' -> iterations = Integer.parseInt(value);
                default -> { }
            }
        }
        if (nonce == null || salt == null || iterations < 1 || !nonce.startsWith(clientNonce)) {
            throw new IllegalArgumentException("unacceptable server-first-message: " + serverFirst);
        }
        String finalWithoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + finalWithoutProof)
                .getBytes(StandardCharsets.UTF_8);
        String cacheKey = jcaName + '\0' + password + '\0' + salt + '\0' + iterations;
        byte[] saltBytes = Base64.getDecoder().decode(salt);
        int count = iterations;
        byte[][] keys = keyCache.computeIfAbsent(cacheKey, k -> {
            byte[] salted = hi(password.getBytes(StandardCharsets.UTF_8), saltBytes, count);
            return new byte[][] {hmac(salted, "Client Key"), hmac(salted, "Server Key")};
        });
        byte[] clientKey = keys[0];
        byte[] clientSignature = hmac(digest(clientKey), authMessage);
        byte[] proof = clientKey.clone();
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= clientSignature[i];
        }
        serverSignature = hmac(keys[1], authMessage);
        return (finalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the server-final-message ({@code v=...}) proves that the server knows the keys. */
    boolean verify(byte[] serverFinal) {
        String s = new String(serverFinal, StandardCharsets.UTF_8);
        return serverSignature != null && s.startsWith("v=")
                && MessageDigest.isEqual(serverSignature, Base64.getDecoder().decode(s.substring(2).trim()));
    }

    /** RFC 5802 §2.2: {@code Hi(str, salt, i)}, PBKDF2 with the HMAC and one block. */
    private byte[] hi(byte[] str, byte[] salt, int iterations) {
        Mac mac = mac(str);
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(jcaName).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    private Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(new SecretKeySpec(key, macName));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + macName, e);
        }
    }
}
