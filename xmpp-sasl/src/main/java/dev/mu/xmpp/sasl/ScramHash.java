package dev.mu.xmpp.sasl;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash functions SCRAM is registered with, and the primitives SCRAM builds on them.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5802#section-2.2">RFC 5802 §2.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7677">RFC 7677</a>
 */
public enum ScramHash {
    /** SHA-1, for SCRAM-SHA-1 (RFC 5802). */
    SHA_1("SHA-1", "HmacSHA1", 20),
    /** SHA-256, for SCRAM-SHA-256 (RFC 7677). */
    SHA_256("SHA-256", "HmacSHA256", 32),
    /** SHA-512, for SCRAM-SHA-512 (draft-melnikov-scram-sha-512). */
    SHA_512("SHA-512", "HmacSHA512", 64);

    private final String jcaName;
    private final String macAlgorithm;
    private final int length;

    ScramHash(String jcaName, String macAlgorithm, int length) {
        this.jcaName = jcaName;
        this.macAlgorithm = macAlgorithm;
        this.length = length;
    }

    /** The JCA {@link MessageDigest} name, which is also the hash part of the SASL mechanism name. */
    public String jcaName() {
        return jcaName;
    }

    /** The JCA {@link Mac} algorithm name. */
    public String macAlgorithm() {
        return macAlgorithm;
    }

    /** The output length in bytes, the length of StoredKey, ServerKey and the client proof. */
    public int length() {
        return length;
    }

    /** The SASL mechanism name without channel binding, e.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return "SCRAM-" + jcaName;
    }

    /** {@code H(data)}. */
    byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(jcaName).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    /** {@code HMAC(key, data)}; the key must not be empty. */
    byte[] hmac(byte[] key, byte[] data) {
        Mac mac = mac(key);
        return mac.doFinal(data);
    }

    /**
     * {@code Hi(password, salt, i)} of RFC 5802 §2.2, which is PBKDF2 with the HMAC as PRF and one
     * block of output.
     */
    byte[] hi(byte[] password, byte[] salt, int iterations) {
        Mac mac = mac(password);
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

    private Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + macAlgorithm, e);
        }
    }
}
