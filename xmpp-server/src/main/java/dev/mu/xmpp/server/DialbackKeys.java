package dev.mu.xmpp.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks Server Dialback keys as XEP-0185 recommends: the hex HMAC-SHA256, keyed with the
 * SHA-256 of a secret, of the receiving domain, the originating domain and the stream id.
 *
 * <p>The secret is random per server instance, so keys of a previous run never verify. Thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0185.html#scheme">XEP-0185 §3</a>
 */
final class DialbackKeys {

    private final SecretKeySpec key;

    DialbackKeys() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(secret), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The key an originating server sends in {@code <db:result/>} on the stream with the given id. */
    String key(String receiving, String originating, String streamId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] hmac = mac.doFinal((receiving + ' ' + originating + ' ' + streamId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hmac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Whether a key the receiving server asks about is the one this server made; constant time. */
    boolean verify(String receiving, String originating, String streamId, String candidate) {
        byte[] expected = key(receiving, originating, streamId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, candidate.trim().getBytes(StandardCharsets.UTF_8));
    }
}
