package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialStoreTest {

    @Test
    void addUserStoresKeysForEveryHashAndNoPassword() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("Juliet", "r0m30myr0m30");
        for (ScramHash hash : ScramHash.values()) {
            ScramCredentials c = store.scram("juliet", hash).orElseThrow();
            assertEquals(ScramCredentials.DEFAULT_ITERATIONS, c.iterations());
            assertEquals(hash.length(), c.storedKey().length);
            assertEquals(hash.length(), c.serverKey().length);
            assertArrayEquals(ScramCredentials.derive(hash, "r0m30myr0m30", c.salt(), c.iterations()).storedKey(), c.storedKey());
        }
        assertTrue(store.scram("Juliet", ScramHash.SHA_256).isEmpty(), "lookups take prepared usernames");
    }

    @Test
    void verifyPasswordDerivesFromScramKeys() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("juliet", "r0m30myr0m30");
        assertTrue(store.verifyPassword("juliet", "r0m30myr0m30"));
        assertFalse(store.verifyPassword("juliet", "r0m30"));
        assertFalse(store.verifyPassword("romeo", "r0m30myr0m30"));
    }

    @Test
    void removeAndDisable() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("juliet", "pw");
        assertTrue(store.setEnabled("juliet", false));
        assertFalse(store.isEnabled("juliet"));
        assertTrue(store.setEnabled("JULIET", true));
        assertTrue(store.isEnabled("juliet"));
        assertFalse(store.setEnabled("romeo", false));
        assertTrue(store.removeUser("juliet"));
        assertFalse(store.removeUser("juliet"));
        assertTrue(store.scram("juliet", ScramHash.SHA_1).isEmpty());
    }

    @Test
    void passwordsArePreparedWithOpaqueString() {
        byte[] salt = {1, 2, 3, 4};
        // OpaqueString maps non-ASCII spaces to U+0020 and normalizes to NFC (RFC 8265 §4.2.2).
        assertArrayEquals(ScramCredentials.derive(ScramHash.SHA_256, "a b\u00e9", salt, 2).storedKey(),
                ScramCredentials.derive(ScramHash.SHA_256, "a\u00a0be\u0301", salt, 2).storedKey());
        assertThrows(IllegalArgumentException.class, () -> ScramCredentials.derive(ScramHash.SHA_256, "", salt, 2));
        assertThrows(IllegalArgumentException.class, () -> ScramCredentials.derive(ScramHash.SHA_256, "a\u0007", salt, 2));
        assertThrows(IllegalArgumentException.class, () -> new ScramCredentials(salt, 0, salt, salt));
    }
}
