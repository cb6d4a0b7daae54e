package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** PLAIN verifications remembered, bound to the StoredKey, for a while. */
class CachingCredentialStoreTest {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    /**
     * The keys of "secret" under another salt: a check that derives again refuses "secret", so
     * accepting it proves the remembered verification was used.
     */
    private static void resalt(InMemoryCredentialStore store, String user) {
        for (ScramHash hash : ScramHash.values()) {
            ScramCredentials c = store.scram(user, hash).orElseThrow();
            store.setCredentials(user, hash, new ScramCredentials(new byte[] {1, 2, 3}, c.iterations(), c.storedKey(),
                    c.serverKey()));
        }
    }

    @Test
    void aVerifiedPasswordIsAcceptedAgainWithoutDerivingTheKeys() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "secret");
        CachingCredentialStore cache = new CachingCredentialStore(store, TEN_MINUTES);

        assertTrue(cache.verifyPassword("alice", "secret"));
        resalt(store, "alice");

        assertFalse(store.verifyPassword("alice", "secret"), "deriving again refuses it now");
        assertTrue(cache.verifyPassword("alice", "secret"), "remembered");
        assertFalse(cache.verifyPassword("alice", "other"), "another password is still derived, and refused");
    }

    @Test
    void anExpiredVerificationIsDerivedAgain() throws InterruptedException {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "secret");
        CachingCredentialStore cache = new CachingCredentialStore(store, Duration.ofNanos(1));

        assertTrue(cache.verifyPassword("alice", "secret"));
        resalt(store, "alice");
        Thread.sleep(1);

        assertFalse(cache.verifyPassword("alice", "secret"));
    }

    @Test
    void aChangedPasswordEndsWhatWasRemembered() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "secret");
        CachingCredentialStore cache = new CachingCredentialStore(store, TEN_MINUTES);
        assertTrue(cache.verifyPassword("alice", "secret"));

        store.addUser("alice", "new secret");

        assertFalse(cache.verifyPassword("alice", "secret"));
        assertTrue(cache.verifyPassword("alice", "new secret"));
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "secret");
        CachingCredentialStore cache = new CachingCredentialStore(store, TEN_MINUTES);

        assertFalse(cache.verifyPassword("alice", "Secret"));
        assertFalse(cache.verifyPassword("mallory", "secret"));
        assertTrue(cache.verifyPassword("alice", "secret"));
        assertFalse(cache.verifyPassword("bob", "secret"), "one user's verification is not another's");
    }

    @Test
    void whatOnlyTheStoresOwnCheckAcceptsIsAskedEveryTime() {
        InMemoryCredentialStore keys = new InMemoryCredentialStore();
        keys.addUser("alice", "secret");
        AtomicInteger asked = new AtomicInteger();
        CredentialStore withTokens = new CredentialStore() {
            @Override
            public Optional<ScramCredentials> scram(String username, ScramHash hash) {
                return keys.scram(username, hash);
            }

            @Override
            public boolean verifyPassword(String username, String password) {
                asked.incrementAndGet();
                return password.equals("token-1") || keys.verifyPassword(username, password);
            }
        };
        CachingCredentialStore cache = new CachingCredentialStore(withTokens, TEN_MINUTES);

        assertTrue(cache.verifyPassword("alice", "token-1"));
        assertTrue(cache.verifyPassword("alice", "token-1"));
        assertEquals(2, asked.get(), "a token is not remembered");
        assertTrue(cache.verifyPassword("alice", "secret"));
        assertTrue(cache.verifyPassword("alice", "secret"));
        assertEquals(2, asked.get(), "the password derives the keys: the store is not asked");
    }

    @Test
    void delegatesTheRest() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "secret");
        store.setEnabled("alice", false);
        CachingCredentialStore cache = new CachingCredentialStore(store, TEN_MINUTES);

        assertFalse(cache.isEnabled("alice"));
        assertEquals(store.scram("alice", ScramHash.SHA_1).orElseThrow().serverKey().length,
                cache.scram("alice", ScramHash.SHA_1).orElseThrow().serverKey().length);
        assertThrows(IllegalArgumentException.class, () -> new CachingCredentialStore(store, Duration.ZERO));
    }
}
