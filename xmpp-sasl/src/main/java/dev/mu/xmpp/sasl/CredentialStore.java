package dev.mu.xmpp.sasl;

import java.util.Optional;

/**
 * Where the mechanisms read users' credentials: the SPI an account backend implements.
 *
 * <p>Usernames passed in are already prepared with the PRECIS UsernameCaseMapped profile
 * (RFC 8265 §3.3), passwords with OpaqueString (RFC 8265 §4.2). Implementations must be
 * thread-safe. An exception thrown here ends the exchange with
 * {@link SaslFailure#TEMPORARY_AUTH_FAILURE}.
 */
public interface CredentialStore {

    /** The SCRAM credentials of a user for one hash, or empty when the user or those credentials do not exist. */
    Optional<ScramCredentials> scram(String username, ScramHash hash);

    /**
     * Whether the account may log in; asked only after the credentials were verified, so a
     * disabled account is not revealed to someone without the password. {@code true} by default.
     */
    default boolean isEnabled(String username) {
        return true;
    }

    /**
     * Whether SCRAM can authenticate the user, as far as the store can tell before the exchange.
     *
     * <p>A store that keeps other password hashes (bcrypt) has SCRAM keys only for some users; the
     * transport then offers only PLAIN to a stream whose header names such a user, so that a client
     * preferring SCRAM never fails where the password is right. {@code true} by default.
     *
     * @param username the prepared username the stream header named, or {@code null} when it named none
     */
    default boolean supportsScram(String username) {
        return true;
    }

    /**
     * Whether a password is the user's, for PLAIN.
     *
     * <p>By default derives the StoredKey from the user's SCRAM credentials (SHA-256, else SHA-512,
     * else SHA-1) and compares it in constant time; for an unknown user it derives one with a fixed
     * salt anyway, so the answer takes as long. A store that keeps other password hashes (bcrypt,
     * an external directory) overrides this.
     *
     * @param username the prepared username
     * @param password the prepared password
     */
    default boolean verifyPassword(String username, String password) {
        for (ScramHash hash : ScramHash.PLAIN_ORDER) {
            Optional<ScramCredentials> stored = scram(username, hash);
            if (stored.isPresent()) {
                return stored.get().derivesFrom(hash, password);
            }
        }
        ScramCredentials.fromPreparedPassword(ScramHash.SHA_256, password,
                new byte[ScramCredentials.DEFAULT_SALT_LENGTH], ScramCredentials.DEFAULT_ITERATIONS);
        return false;
    }
}
