package dev.mu.xmpp.mu;

/**
 * One account of Mu's {@code accounts.json}.
 *
 * @param id       the account id, which is the XMPP username ({@code ^[a-z][a-z0-9_]{3,23}$})
 * @param name     the display name
 * @param secret   the bcrypt hash of the password, as Go writes it ({@code $2a$10$...})
 * @param admin    whether the account administers Mu
 * @param disabled whether the account is {@code banned} or {@code disabled}; such an account exists
 *                 but cannot log in
 */
public record MuAccount(String id, String name, String secret, boolean admin, boolean disabled) {
}
