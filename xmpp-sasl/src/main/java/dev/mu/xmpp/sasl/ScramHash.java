package dev.mu.xmpp.sasl;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.List;
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
    SHA_1("SHA-1", "HmacSHA1", 20, 64),
    /** SHA-256, for SCRAM-SHA-256 (RFC 7677). */
    SHA_256("SHA-256", "HmacSHA256", 32, 64),
    /** SHA-512, for SCRAM-SHA-512 (draft-melnikov-scram-sha-512). */
    SHA_512("SHA-512", "HmacSHA512", 64, 128);

    /** The credentials a PLAIN password is checked against, the first a user has (see {@link CredentialStore#verifyPassword}). */
    static final List<ScramHash> PLAIN_ORDER = List.of(SHA_256, SHA_512, SHA_1);

    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final String jcaName;
    private final String macAlgorithm;
    private final int length;
    private final int blockLength;
    /** Instances are not thread-safe and costly to look up: one per thread, reinitialised per use. */
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<MessageDigest> digests;

    ScramHash(String jcaName, String macAlgorithm, int length, int blockLength) {
        this.jcaName = jcaName;
        this.macAlgorithm = macAlgorithm;
        this.length = length;
        this.blockLength = blockLength;
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.digests = ThreadLocal.withInitial(this::newDigest);
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
        return digests.get().digest(data);
    }

    /** {@code HMAC(key, data)}; the key must not be empty. */
    byte[] hmac(byte[] key, byte[] data) {
        Mac mac = macs.get();
        try {
            mac.init(new SecretKeySpec(key, macAlgorithm));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable HMAC key", e);
        }
        return mac.doFinal(data);
    }

    /**
     * {@code Hi(password, salt, i)} of RFC 5802 §2.2, which is PBKDF2 with the HMAC as PRF and one
     * block of output.
     *
     * <p>The HMAC is computed from its definition (RFC 2104 §2) rather than with {@link Mac}: the
     * hash states after the key's inner and outer pad blocks are the same in every iteration, so
     * they are computed once and copied, which halves the compressions per iteration from four to
     * two. The iteration count is what makes a stolen key table costly to attack, so this is the
     * cost of a PLAIN login or a password change; nothing here skips an iteration.
     */
    byte[] hi(byte[] password, byte[] salt, int iterations) {
        MessageDigest inner = newDigest();
        MessageDigest outer = newDigest();
        // RFC 2104 §2: a key longer than the block is hashed first, a shorter one padded with zeros.
        byte[] key = password.length > blockLength ? inner.digest(password) : password;
        byte[] pad = new byte[blockLength];
        for (int i = 0; i < blockLength; i++) {
            pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ IPAD);
        }
        inner.update(pad);
        for (int i = 0; i < blockLength; i++) {
            pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ OPAD);
        }
        outer.update(pad);
        byte[] u = new byte[length];
        MessageDigest h = copy(inner);
        h.update(salt);
        h.update(new byte[] {0, 0, 0, 1});
        finish(h, u);
        h = copy(outer);
        h.update(u);
        finish(h, u);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            h = copy(inner);
            h.update(u);
            finish(h, u);
            h = copy(outer);
            h.update(u);
            finish(h, u);
            for (int j = 0; j < length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private void finish(MessageDigest h, byte[] out) {
        try {
            h.digest(out, 0, length);
        } catch (DigestException e) {
            throw new IllegalStateException(jcaName + " output does not fit " + length + " bytes", e);
        }
    }

    private static MessageDigest copy(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(prototype.getAlgorithm() + " of " + prototype.getProvider() + " cannot be copied", e);
        }
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    private Mac newMac() {
        try {
            return Mac.getInstance(macAlgorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + macAlgorithm, e);
        }
    }
}
