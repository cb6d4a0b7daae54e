package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.sasl.ScramHash;
import dev.mu.xmpp.server.storage.JdbcStorageProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code adduser --bulk}: accounts from stdin, one {@code jid password} a line. */
class MainBulkAddUserTest {

    @TempDir
    Path dataDir;

    @Test
    void createsEveryListedAccountAndReportsBadLines() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("XMPP_DOMAIN", "localhost",
                "XMPP_DATA_DIR", dataDir.toString()));
        String input = """
                # load test accounts
                load1@localhost secret one
                load2 secret-two

                load3@example.org nope
                load1@localhost again
                lonely
                """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (JdbcStorageProvider storage = new JdbcStorageProvider(config.openDatabase())) {
            int status = Main.addUsers(config, storage.accounts(),
                    new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertEquals(1, status);
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Created 2 of 5 accounts of localhost"), out.toString());
            String problems = err.toString(StandardCharsets.UTF_8);
            assertTrue(problems.contains("line 5: "), problems);
            assertTrue(problems.contains("line 6: account load1@localhost listed twice"), problems);
            assertTrue(problems.contains("line 7: expected"), problems);
            assertTrue(storage.accounts().exists("load1"));
            assertTrue(storage.accounts().exists("load2"));
            assertFalse(storage.accounts().exists("load3"));
            assertTrue(storage.accounts().scram("load1", ScramHash.SHA_1).isPresent());
        }
    }
}
