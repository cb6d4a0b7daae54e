package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.server.ScramSha256ClientMechanism;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mu users log in with Smack against Mu's real files: password, SCRAM after it, tokens, changes, bans. */
class MuLoginIT {

    private static final String DOMAIN = "chat.example.com";
    private static final String TOKEN = "mu_7c1e4b9a2f6d8e0a3c5b7d9f1e2a4c6b";

    private static final String SCRAM = ScramSha256ClientMechanism.NAME;

    @TempDir
    Path tmp;

    MuFixtures mu;
    MuXmppService xmpp;

    @BeforeAll
    static void smackLearnsScramSha256() {
        ScramSha256ClientMechanism.register();
    }

    @BeforeEach
    void start() throws Exception {
        mu = new MuFixtures(tmp.resolve("mu")).account("alice", "wonderland").account("bob_1", "builder");
        xmpp = MuXmppService.start(MuConfig.fromEnvironment(Map.of(
                "XMPP_DOMAIN", DOMAIN, "XMPP_BIND", "127.0.0.1", "XMPP_PORT", "0", "XMPP_TLS_PORT", "off", "XMPP_S2S_PORT", "0",
                "XMPP_STATUS_PORT", "off", "MU_DATA_DIR", mu.dir().toString(),
                "XMPP_DATA_DIR", tmp.resolve("xmpp").toString())));
    }

    @AfterEach
    void stop() {
        xmpp.close();
    }

    private XMPPTCPConnection login(String user, String password, String mechanism) throws Exception {
        return MuSmack.login(DOMAIN, xmpp.server().c2sPort(), user, password, mechanism);
    }

    private SASLError failure(String user, String password, String mechanism) {
        return assertThrows(SASLErrorException.class, () -> login(user, password, mechanism)).getSASLFailure().getSASLError();
    }

    @Test
    void aMuUserLogsInWithPlainOverTlsThenWithScramSha256() throws Exception {
        // Before any password login the server has no SCRAM keys, so it offers PLAIN only.
        assertThrows(SmackException.class, () -> login("alice", "wonderland", SCRAM));

        XMPPTCPConnection plain = login("alice", "wonderland", "PLAIN");
        assertTrue(plain.isSecureConnection());
        assertEquals("alice@" + DOMAIN + "/test", plain.getUser().toString());
        plain.disconnect();

        XMPPTCPConnection scram = login("alice", "wonderland", SCRAM);
        assertTrue(scram.isAuthenticated());
        scram.disconnect();
        // The same login derived the keys of every hash.
        login("alice", "wonderland", "SCRAM-SHA-1").disconnect();
        assertEquals(SASLError.not_authorized, failure("alice", "looking-glass", SCRAM));
    }

    @Test
    void aTokenWorksAsAPasswordUntilItExpires() throws Exception {
        mu.token("t1", "alice", TOKEN, Instant.now().plus(Duration.ofDays(30)));
        login("alice", TOKEN, "PLAIN").disconnect();
        assertFalse(xmpp.credentials().supportsScram("alice"), "a token makes no SCRAM keys");
        login("alice", "wonderland", "PLAIN").disconnect();
        // Documented limit: with keys, a client that picks SCRAM must be given the password, not a token.
        assertEquals(SASLError.not_authorized, failure("alice", TOKEN, SCRAM));
        login("alice", TOKEN, "PLAIN").disconnect();
        assertEquals(SASLError.not_authorized, failure("bob_1", TOKEN, "PLAIN"));

        mu = new MuFixtures(mu.dir()).account("alice", "wonderland").account("bob_1", "builder");
        mu.token("t1", "alice", TOKEN, Instant.now().minus(Duration.ofMinutes(1)));
        assertEquals(SASLError.not_authorized, failure("alice", TOKEN, "PLAIN"));
        login("alice", "wonderland", "PLAIN").disconnect();
    }

    @Test
    void aPasswordChangedInMuTakesEffectWithoutARestart() throws Exception {
        login("bob_1", "builder", "PLAIN").disconnect();
        login("bob_1", "builder", SCRAM).disconnect();

        mu.account("bob_1", "fixer");

        assertEquals(SASLError.not_authorized, failure("bob_1", "builder", "PLAIN"));
        // The old keys no longer count: SCRAM is not offered until a login with the new password.
        assertThrows(SmackException.class, () -> login("bob_1", "fixer", SCRAM));
        login("bob_1", "fixer", "PLAIN").disconnect();
        login("bob_1", "fixer", SCRAM).disconnect();
    }

    @Test
    void aBannedOrMissingAccountFails() throws Exception {
        login("alice", "wonderland", "PLAIN").disconnect();
        mu.flag("alice", "banned", true);
        assertEquals(SASLError.account_disabled, failure("alice", "wonderland", "PLAIN"));
        mu.flag("alice", "banned", false).flag("alice", "disabled", true);
        assertEquals(SASLError.account_disabled, failure("alice", "wonderland", "PLAIN"));
        assertEquals(SASLError.not_authorized, failure("carol", "wonderland", "PLAIN"));
        mu.remove("bob_1");
        assertEquals(SASLError.not_authorized, failure("bob_1", "builder", "PLAIN"));
    }
}
