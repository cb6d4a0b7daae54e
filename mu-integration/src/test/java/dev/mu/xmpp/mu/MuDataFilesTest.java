package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MuDataFilesTest {

    @TempDir
    Path dir;

    MuFixtures mu;
    MuDataFiles files;

    @BeforeEach
    void setUp() throws Exception {
        mu = new MuFixtures(dir).account("alice", "wonderland").account("bob_1", "builder");
        files = new MuDataFiles(dir);
    }

    @Test
    void readsAccountsWrittenAsGoWritesThem() {
        assertEquals(2, files.accounts().size());
        assertTrue(files.account("alice").orElseThrow().secret().startsWith("$2a$10$"));
        assertEquals("Alice", files.account("alice").orElseThrow().name());
    }

    @Test
    void checksTheAccountPassword() {
        assertEquals(Optional.of(new MuAccountSource.Proof(false, files.account("alice").orElseThrow().secret())),
                files.login("alice", "wonderland"));
        assertTrue(files.login("alice", "builder").isEmpty());
        assertTrue(files.login("carol", "wonderland").isEmpty());
    }

    @Test
    void aChangedFileIsReadAgain() throws Exception {
        assertTrue(files.login("alice", "wonderland").isPresent());
        mu.account("alice", "looking-glass");
        assertTrue(files.login("alice", "wonderland").isEmpty());
        assertTrue(files.login("alice", "looking-glass").isPresent());
        mu.remove("alice");
        assertFalse(files.exists("alice"));
        assertTrue(files.login("alice", "looking-glass").isEmpty());
    }

    @Test
    void aFileThatDoesNotParseKeepsWhatWasReadBefore() throws Exception {
        assertTrue(files.exists("alice"));
        Files.writeString(dir.resolve("accounts.json"), "{\"alice\": {\"id\": \"al");
        assertTrue(files.exists("alice"));
        assertTrue(files.login("alice", "wonderland").isPresent());
    }

    @Test
    void bannedOrDisabledAccountsExistButAreNotEnabled() throws Exception {
        mu.flag("alice", "banned", true).flag("bob_1", "disabled", true);
        assertTrue(files.exists("alice"));
        assertFalse(files.enabled("alice"));
        assertFalse(files.enabled("bob_1"));
        mu.flag("alice", "banned", false);
        assertTrue(files.enabled("alice"));
    }

    @Test
    void tokensInAnArrayOrKeyedById() throws Exception {
        String raw = "mu_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f";
        mu.token("tok1", "alice", raw, null);
        assertEquals(Optional.of(new MuAccountSource.Proof(true, null)), files.login("alice", raw));
        mu.tokensAsObject();
        assertEquals(Optional.of(new MuAccountSource.Proof(true, null)), files.login("alice", raw));
    }

    @Test
    void aTokenWorksOnlyForItsAccountAndUntilItExpires() throws Exception {
        String forever = "mu_forever_0123456789abcdef";
        String tomorrow = "mu_tomorrow_0123456789abcdef";
        String yesterday = "mu_yesterday_0123456789abcdef";
        Instant now = Instant.now();
        mu.token("t1", "alice", forever, null)
                .token("t2", "alice", tomorrow, now.plus(Duration.ofDays(1)))
                .token("t3", "alice", yesterday, now.minus(Duration.ofDays(1)));
        assertTrue(files.login("alice", forever).isPresent());
        assertTrue(files.login("alice", tomorrow).isPresent());
        assertTrue(files.login("alice", yesterday).isEmpty());
        assertTrue(files.login("bob_1", forever).isEmpty());
    }
}
