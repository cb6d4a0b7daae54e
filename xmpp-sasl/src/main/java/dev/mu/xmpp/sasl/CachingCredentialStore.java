package dev.mu.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A credential store that remembers, for a while, which PLAIN passwords it verified, so that a
 * client logging in again with the same password skips the key derivation: 4,096 PBKDF2
 * iterations, most of the CPU a PLAIN login costs. Everything else is passed to the wrapped store.
 * Thread-safe.
 *
 * <p>What is remembered per user is an HMAC-SHA-256 of the password and the user's current
 * StoredKey under a key made at random when this store is created and kept only in memory; never
 * the password. A password counts as verified only when it derives the StoredKey (RFC 5802 §3),
 * so a changed password (new salt and keys) misses, and so does a password that only the wrapped
 * store's own check accepts, such as an access token: nothing is ever accepted here that the SCRAM
 * keys would refuse. Entries expire after the time given and are few: at most
 * {@link #MAX_ENTRIES}, after which new ones are not kept until old ones expire.
 *
 * <p>The price: someone who can read the server's memory can test guesses for a recently verified
 * password with one HMAC each instead of 4,096 iterations. ejabberd keeps such a cache by default
 * ({@code auth_use_cache}, an hour); this one keeps entries for {@code ttl}.
 */
public final class CachingCredentialStore implements CredentialStore {

    /** The most users remembered at once. */
    public static final int MAX_ENTRIES = 100_000;

    private record Entry(byte[] tag, long expiresAt) {
    }

    private final CredentialStore store;
    /**
     * Whether the store overrides {@link CredentialStore#verifyPassword}: then a password that does
     * not derive the keys goes to it too (tokens, a password changed elsewhere); the default would
     * only repeat the derivation just done, doubling what a wrong guess costs the server.
     */
    private final boolean ownCheck;
    private final long ttlNanos;
    private final byte[] key = SecureRandoms.bytes(32);
    private final Map<String, Entry> verified = new ConcurrentHashMap<>();

    /**
     * Wraps a store.
     *
     * @param store the store that holds the credentials
     * @param ttl   how long a verified password is remembered; positive
     */
    public CachingCredentialStore(CredentialStore store, Duration ttl) {
        this.store = Objects.requireNonNull(store, "store");
        this.ownCheck = overridesVerifyPassword(store);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramHash hash) {
        return store.scram(username, hash);
    }

    @Override
    public boolean isEnabled(String username) {
        return store.isEnabled(username);
    }

    @Override
    public boolean supportsScram(String username) {
        return store.supportsScram(username);
    }

    /**
     * Whether the password is the user's: true at once when it was verified within the time to
     * live against the same StoredKey; otherwise whether it derives the StoredKey, and failing
     * that, as a store with its own check says.
     */
    @Override
    public boolean verifyPassword(String username, String password) {
        for (ScramHash hash : ScramHash.PLAIN_ORDER) {
            Optional<ScramCredentials> stored = store.scram(username, hash);
            if (stored.isPresent()) {
                return verify(username, password, hash, stored.get());
            }
        }
        return store.verifyPassword(username, password);
    }

    private boolean verify(String username, String password, ScramHash hash, ScramCredentials stored) {
        byte[] tag = tag(stored, password);
        long now = System.nanoTime();
        Entry e = verified.get(username);
        if (e != null && now - e.expiresAt < 0 && MessageDigest.isEqual(e.tag, tag)) {
            return true;
        }
        if (!stored.derivesFrom(hash, password)) {
            // Not the password the keys came from: only a store with its own check may still accept it.
            return ownCheck && store.verifyPassword(username, password);
        }
        remember(username, new Entry(tag, now + ttlNanos), now);
        return true;
    }

    private void remember(String username, Entry entry, long now) {
        if (verified.size() >= MAX_ENTRIES && !verified.containsKey(username)) {
            verified.values().removeIf(e -> now - e.expiresAt >= 0);
            if (verified.size() >= MAX_ENTRIES) {
                return;
            }
        }
        verified.put(username, entry);
    }

    private static boolean overridesVerifyPassword(CredentialStore store) {
        try {
            return store.getClass().getMethod("verifyPassword", String.class, String.class).getDeclaringClass()
                    != CredentialStore.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("CredentialStore.verifyPassword is gone", e);
        }
    }

    /** HMAC(key, StoredKey || password): the StoredKey has a fixed length, so the two cannot run together. */
    private byte[] tag(ScramCredentials stored, String password) {
        byte[] storedKey = stored.storedKey();
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[storedKey.length + pw.length];
        System.arraycopy(storedKey, 0, data, 0, storedKey.length);
        System.arraycopy(pw, 0, data, storedKey.length, pw.length);
        return ScramHash.SHA_256.hmac(key, data);
    }
}
