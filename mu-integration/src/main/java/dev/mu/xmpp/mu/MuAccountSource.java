package dev.mu.xmpp.mu;

import java.util.Optional;

/**
 * Where Mu's accounts are: Mu's files on this host ({@link MuDataFiles}) or a Mu on another
 * ({@link MuHttpLogin}). Implementations must be thread-safe.
 */
public interface MuAccountSource {

    /**
     * What a verified password is.
     *
     * @param token  whether it was a personal access token rather than the account's password
     * @param secret the bcrypt hash the account password matched, or {@code null} when the source
     *               did not show it (a token, or Mu over HTTP)
     */
    record Proof(boolean token, String secret) {
    }

    /** Checks a password or token of a user; empty when it is neither. */
    Optional<Proof> login(String username, String password);

    /** Whether the account exists, for routing: a banned account exists too. */
    boolean exists(String username);

    /** Whether the account may log in, asked after the password was verified. */
    boolean enabled(String username);

    /** The account's current bcrypt hash, or empty when the source does not show it. */
    Optional<String> secret(String username);
}
