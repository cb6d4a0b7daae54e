package dev.mu.xmpp.mu;

import java.time.Instant;

/**
 * One personal access token of Mu's {@code tokens.json}, usable as a password.
 *
 * @param id        the token's id
 * @param name      what the user called it
 * @param hash      the bcrypt hash of the raw token ({@code token} in the file)
 * @param account   the id of the account the token logs in to
 * @param expiresAt when the token stops working, or {@code null} for never
 * @param lookup    the hex SHA-256 of the raw token, to find it without trying every bcrypt hash
 */
public record MuToken(String id, String name, String hash, String account, Instant expiresAt, String lookup) {

    /** Whether the token still works at the given instant. */
    public boolean validAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
