package dev.mu.xmpp.mu;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt as Go's {@code golang.org/x/crypto/bcrypt} writes it ({@code $2a$}, also {@code $2b$}/{@code $2y$}). */
final class Bcrypt {

    /** The cost Mu uses. */
    static final int MU_COST = 10;

    private Bcrypt() {
    }

    /** Whether the password matches the hash; false for a malformed hash or a password bcrypt refuses. */
    static boolean matches(String hash, String password) {
        if (hash == null || hash.isEmpty()) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A {@code $2a$} hash of the password with a fresh salt at the given cost. */
    static String hash(String password, int cost, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.getBytes(StandardCharsets.UTF_8), salt, cost);
    }
}
