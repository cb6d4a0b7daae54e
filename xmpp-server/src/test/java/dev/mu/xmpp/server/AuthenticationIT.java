package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.SmackException.SecurityRequiredByServerException;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6120 §5 and §6 at the edges: no authentication without TLS, wrong passwords, retries on the
 * same stream (§6.4.5) and the limit of {@value C2sSessionHandler#MAX_AUTH_ATTEMPTS} failures.
 * Raw-socket transcripts show the exact XML; Smack shows what a real client experiences.
 */
class AuthenticationIT {

    static final String FEATURES_END = "</stream:features>";

    @TempDir
    Path dataDir;

    XmppServer server;
    final List<XMPPTCPConnection> connections = new ArrayList<>();

    /** The transcripts authenticate with PLAIN, which a SCRAM-capable store offers only when configured. */
    @BeforeEach
    void start() {
        server = TestServers.builder(dataDir).plainWithScram(true).build().start();
    }

    @AfterEach
    void stop() {
        SmackClients.disconnectAll(connections);
        server.close();
    }

    @Test
    void plainOverPlainTcpIsRefusedWithEncryptionRequired() throws Exception {
        try (RawXmppSocket client = RawXmppSocket.plain(server.c2sPort())) {
            client.openStream("example.com");
            String features = client.readUntil(FEATURES_END);
            // RFC 6120 §5.3.1: STARTTLS is mandatory, and no mechanism is offered before it.
            assertTrue(features.contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"), features);
            assertFalse(features.contains("mechanisms"), features);
            assertFalse(features.contains("PLAIN"), features);

            client.authPlain("alice", TestServers.ALICE_PASSWORD);
            // RFC 6120 §6.4.5: the mechanism cannot be used without TLS.
            assertEquals("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><encryption-required/></failure>",
                    client.readUntil("</failure>"));

            // anything else but STARTTLS now ends the stream (RFC 6120 §5.3.1, §4.9.3.14)
            client.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
            String end = client.readToEnd();
            assertTrue(end.contains("<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), end);
            assertTrue(end.endsWith("</stream:stream>"), end);
        }
    }

    @Test
    void plainWithoutTlsWorksOnlyWhereExplicitlyAllowed() throws Exception {
        try (XmppServer open = TestServers.builder(dataDir.resolve("open")).plainWithScram(true).allowPlaintextAuth(true)
                .build().start();
             RawXmppSocket client = RawXmppSocket.plain(open.c2sPort())) {
            client.openStream("example.com");
            String features = client.readUntil(FEATURES_END);
            // Allowed by configuration: STARTTLS is offered but optional, and PLAIN works without it.
            assertFalse(features.contains("<required/>"), features);
            assertTrue(features.contains("<mechanism>PLAIN</mechanism>"), features);
            client.authPlain("alice", TestServers.ALICE_PASSWORD);
            assertTrue(client.readUntil("/>").contains("<success"));
        }
    }

    @Test
    void smackWithoutTlsCannotLogIn() throws Exception {
        XMPPTCPConnection c = SmackClients.connection(SmackClients.config(server, "alice", TestServers.ALICE_PASSWORD)
                .setSecurityMode(SecurityMode.disabled));
        connections.add(c);

        assertThrows(SecurityRequiredByServerException.class, c::connect);
        assertFalse(c.isAuthenticated());
        assertEquals(0, server.sessionCount());
    }

    @Test
    void aWrongPasswordFailsAndTheSameConnectionCanRetry() throws Exception {
        XMPPTCPConnection c = SmackClients.connection(SmackClients.config(server, "alice", "wrong").setResource("phone"));
        connections.add(c);
        c.connect();

        SASLErrorException wrong = assertThrows(SASLErrorException.class, c::login);
        assertEquals(SASLError.not_authorized, wrong.getSASLFailure().getSASLError());
        assertTrue(c.isConnected(), "RFC 6120 §6.4.5: the stream stays open for a retry");

        c.login("alice", TestServers.ALICE_PASSWORD);
        assertTrue(c.isAuthenticated());
        assertEquals("alice@example.com/phone", c.getUser().toString());
    }

    @Test
    void aPlainPasswordRememberedFromTheLastLoginStopsWorkingWhenItIsChanged() throws Exception {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "first password");
        try (XmppServer cached = TestServers.builder(dataDir.resolve("cached")).credentials(store).plainWithScram(true)
                .plainCache(Duration.ofHours(1)).build().start()) {
            for (int i = 0; i < 2; i++) {
                XMPPTCPConnection c = plainLogin(cached, "first password");
                assertTrue(c.isAuthenticated(), "login " + (i + 1) + " with PLAIN");
                c.disconnect();
            }

            store.addUser("alice", "second password");

            SASLErrorException old = assertThrows(SASLErrorException.class, () -> plainLogin(cached, "first password"));
            assertEquals(SASLError.not_authorized, old.getSASLFailure().getSASLError());
            assertTrue(plainLogin(cached, "second password").isAuthenticated());
        }
    }

    private XMPPTCPConnection plainLogin(XmppServer s, String password) throws Exception {
        XMPPTCPConnection c = SmackClients.connection(SmackClients.config(s, "alice", password)
                .addEnabledSaslMechanism("PLAIN"));
        connections.add(c);
        c.connect().login();
        return c;
    }

    @Test
    void theThirdFailureEndsTheStreamWithPolicyViolation() throws Exception {
        XMPPTCPConnection c = SmackClients.connection(SmackClients.config(server, "alice", "wrong"));
        connections.add(c);
        CompletableFuture<Exception> closedOnError = new CompletableFuture<>();
        c.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                closedOnError.complete(e);
            }
        });
        c.connect();

        for (int attempt = 1; attempt <= C2sSessionHandler.MAX_AUTH_ATTEMPTS; attempt++) {
            SASLErrorException e = assertThrows(SASLErrorException.class, () -> c.login("alice", "wrong" + c.hashCode()));
            assertEquals(SASLError.not_authorized, e.getSASLFailure().getSASLError());
        }

        Exception closed = closedOnError.get(5, TimeUnit.SECONDS);
        StreamErrorException streamError = (StreamErrorException) closed;
        assertEquals(StreamError.Condition.policy_violation, streamError.getStreamError().getCondition());
    }

    @Test
    void transcriptOfRetriesOverDirectTls() throws Exception {
        try (RawXmppSocket client = RawXmppSocket.directTls(server.directTlsPort())) {
            client.openStream("example.com");
            String features = client.readUntil(FEATURES_END);
            assertTrue(features.contains("<mechanism>PLAIN</mechanism>"), "PLAIN only over TLS: " + features);
            assertTrue(features.contains("<mechanism>SCRAM-SHA-256-PLUS</mechanism>"), features);
            assertFalse(features.contains("starttls"), "XEP-0368: no STARTTLS on a TLS stream: " + features);

            client.authPlain("alice", "wrong");
            assertEquals(notAuthorized(), client.readUntil("</failure>"));
            client.authPlain("alice", "still wrong");
            assertEquals(notAuthorized(), client.readUntil("</failure>"));
            client.authPlain("alice", TestServers.ALICE_PASSWORD);
            assertTrue(client.readUntil("<success[^>]*(/>|</success>)").startsWith("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'"));

            // RFC 6120 §6.4.6: a new stream, now offering resource binding
            client.openStream("example.com");
            String bound = client.readUntil(FEATURES_END);
            assertTrue(bound.contains("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"), bound);
        }
    }

    @Test
    void transcriptOfTooManyFailures() throws Exception {
        try (RawXmppSocket client = RawXmppSocket.directTls(server.directTlsPort())) {
            client.openStream("example.com");
            client.readUntil(FEATURES_END);
            for (int attempt = 1; attempt < C2sSessionHandler.MAX_AUTH_ATTEMPTS; attempt++) {
                client.authPlain("alice", "wrong");
                assertEquals(notAuthorized(), client.readUntil("</failure>"));
            }
            client.authPlain("alice", "wrong");

            // RFC 6120 §6.4.5: after the configured number of retries the server closes the stream
            String end = client.readToEnd();
            assertTrue(end.startsWith(notAuthorized()), end);
            assertTrue(end.contains("<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), end);
            assertTrue(end.endsWith("</stream:stream>"), end);
        }
    }

    private static String notAuthorized() {
        return "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/>"
                + "<text>authentication failed</text></failure>";
    }
}
