package dev.mu.xmpp.sasl;

import java.security.SecureRandom;

/** Random bytes for salts, nonces and secrets, from one shared thread-safe {@link SecureRandom}. */
final class SecureRandoms {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecureRandoms() {
    }

    static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
