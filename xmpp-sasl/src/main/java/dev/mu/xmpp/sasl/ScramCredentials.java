package dev.mu.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * What a server stores to verify one user with one SCRAM hash: salt, iteration count, StoredKey
 * and ServerKey. The password itself is never stored.
 *
 * <p>Immutable; byte arrays are copied in and out.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5802#section-3">RFC 5802 §3</a>
 */
public final class ScramCredentials {

    /**
     * The iteration count {@link #derive(ScramHash, String)} uses for every hash: RFC 7677 §4 asks
     * for at least 4096, and RFC 5802 §5.1 for at least 4096 with SHA-1.
     */
    public static final int DEFAULT_ITERATIONS = 4096;

    /** The salt length in bytes {@link #derive(ScramHash, String)} uses. */
    public static final int DEFAULT_SALT_LENGTH = 16;

    private final byte[] salt;
    private final int iterations;
    private final byte[] storedKey;
    private final byte[] serverKey;

    /**
     * Creates credentials from stored values, e.g. imported from another server.
     *
     * @throws IllegalArgumentException if the salt or a key is empty or the iteration count is below 1
     */
    public ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        this.salt = Objects.requireNonNull(salt, "salt").clone();
        this.iterations = iterations;
        this.storedKey = Objects.requireNonNull(storedKey, "storedKey").clone();
        this.serverKey = Objects.requireNonNull(serverKey, "serverKey").clone();
        if (this.salt.length == 0 || this.storedKey.length == 0 || this.serverKey.length == 0 || iterations < 1) {
            throw new IllegalArgumentException("empty salt or key, or iteration count below 1");
        }
    }

    /**
     * Derives the credentials for a password, after preparing it with the PRECIS OpaqueString
     * profile (RFC 8265 §4.2).
     *
     * @throws IllegalArgumentException if the password is not a valid OpaqueString
     */
    public static ScramCredentials derive(ScramHash hash, String password, byte[] salt, int iterations) {
        return fromPreparedPassword(hash, PrecisProfiles.OPAQUE_STRING.enforce(password), salt, iterations);
    }

    /**
     * Derives the credentials for a password with a random {@value #DEFAULT_SALT_LENGTH}-byte salt
     * and {@value #DEFAULT_ITERATIONS} iterations.
     *
     * @throws IllegalArgumentException if the password is not a valid OpaqueString
     */
    public static ScramCredentials derive(ScramHash hash, String password) {
        return derive(hash, password, SecureRandoms.bytes(DEFAULT_SALT_LENGTH), DEFAULT_ITERATIONS);
    }

    /** Whether a prepared password derives these credentials' StoredKey (compared in constant time). */
    boolean derivesFrom(ScramHash hash, String prepared) {
        ScramCredentials derived = fromPreparedPassword(hash, prepared, salt, iterations);
        return MessageDigest.isEqual(derived.storedKey, storedKey);
    }

    /** RFC 5802 §3: SaltedPassword, then ClientKey, StoredKey and ServerKey. */
    static ScramCredentials fromPreparedPassword(ScramHash hash, String prepared, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iteration count below 1");
        }
        byte[] saltedPassword = hash.hi(prepared.getBytes(StandardCharsets.UTF_8), salt, iterations);
        byte[] clientKey = hash.hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hash.hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredentials(salt, iterations, hash.digest(clientKey), serverKey);
    }

    /** A copy of the salt. */
    public byte[] salt() {
        return salt.clone();
    }

    /** The iteration count. */
    public int iterations() {
        return iterations;
    }

    /** A copy of StoredKey, {@code H(ClientKey)}. */
    public byte[] storedKey() {
        return storedKey.clone();
    }

    /** A copy of ServerKey, {@code HMAC(SaltedPassword, "Server Key")}. */
    public byte[] serverKey() {
        return serverKey.clone();
    }
}
