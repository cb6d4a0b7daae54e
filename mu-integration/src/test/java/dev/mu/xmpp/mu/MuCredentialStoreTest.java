package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.sasl.ScramCredentials;
import dev.mu.xmpp.sasl.ScramHash;
import dev.mu.xmpp.server.storage.Database;
import dev.mu.xmpp.server.storage.JdbcStorageProvider;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MuCredentialStoreTest {

    @TempDir
    Path tmp;

    MuFixtures mu;
    JdbcStorageProvider storage;
    MuCredentialStore store;

    @BeforeEach
    void setUp() throws Exception {
        mu = new MuFixtures(tmp.resolve("mu")).account("alice", "wonderland");
        mu.token("t1", "alice", "mu_token_for_alice_0123456789", null);
        Path data = tmp.resolve("xmpp");
        storage = new JdbcStorageProvider(Database.embedded(data));
        store = new MuCredentialStore(new MuDataFiles(mu.dir()), storage.accounts(), new MuLoginLedger(data));
    }

    @AfterEach
    void tearDown() {
        storage.close();
    }

    @Test
    void scramKeysComeFromTheFirstPasswordLogin() {
        assertFalse(store.supportsScram("alice"));
        assertTrue(store.scram("alice", ScramHash.SHA_256).isEmpty());

        assertTrue(store.verifyPassword("alice", "wonderland"));

        assertTrue(store.supportsScram("alice"));
        for (ScramHash hash : ScramHash.values()) {
            ScramCredentials keys = store.scram("alice", hash).orElseThrow();
            assertEquals(ScramCredentials.DEFAULT_ITERATIONS, keys.iterations());
            ScramCredentials fromPassword = ScramCredentials.derive(hash, "wonderland", keys.salt(), keys.iterations());
            assertTrue(Arrays.equals(fromPassword.storedKey(), keys.storedKey()), hash.name());
        }
        assertFalse(store.supportsScram(null));
    }

    @Test
    void aTokenLogsInButMakesNoKeys() {
        assertTrue(store.verifyPassword("alice", "mu_token_for_alice_0123456789"));
        assertFalse(store.supportsScram("alice"));
    }

    @Test
    void aPasswordChangedInMuRetiresTheKeysUntilTheNextPasswordLogin() throws Exception {
        assertTrue(store.verifyPassword("alice", "wonderland"));
        byte[] oldSalt = store.scram("alice", ScramHash.SHA_256).orElseThrow().salt();

        mu.account("alice", "looking-glass");

        assertFalse(store.supportsScram("alice"));
        assertTrue(store.scram("alice", ScramHash.SHA_256).isEmpty());
        assertFalse(store.verifyPassword("alice", "wonderland"));
        assertTrue(store.verifyPassword("alice", "looking-glass"));
        assertTrue(store.supportsScram("alice"));
        assertNotEquals(Arrays.toString(oldSalt), Arrays.toString(store.scram("alice", ScramHash.SHA_256).orElseThrow().salt()));
    }

    @Test
    void keysAndLedgerOutliveARestart() {
        assertTrue(store.verifyPassword("alice", "wonderland"));
        MuCredentialStore again = new MuCredentialStore(new MuDataFiles(mu.dir()), storage.accounts(),
                new MuLoginLedger(tmp.resolve("xmpp")));
        assertTrue(again.supportsScram("alice"));
    }

    @Test
    void aBannedAccountIsNotEnabledAndLosesScram() throws Exception {
        assertTrue(store.verifyPassword("alice", "wonderland"));
        mu.flag("alice", "banned", true);
        assertTrue(store.verifyPassword("alice", "wonderland"));
        assertFalse(store.isEnabled("alice"));
        assertFalse(store.supportsScram("alice"));
        assertFalse(store.isEnabled("nobody"));
    }
}
