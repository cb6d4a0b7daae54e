package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two users log in with SCRAM-SHA-256 (RFC 7677) over STARTTLS and over direct TLS (XEP-0368),
 * on a server that refuses authentication without TLS, and can talk afterwards.
 */
class SaslScramIT {

    @TempDir
    Path dataDir;

    XmppServer server;
    final List<XMPPTCPConnection> connections = new ArrayList<>();

    @BeforeAll
    static void registerMechanism() {
        ScramSha256ClientMechanism.register();
    }

    @BeforeEach
    void start() {
        server = TestServers.start(dataDir);
    }

    @AfterEach
    void stop() {
        SmackClients.disconnectAll(connections);
        server.close();
    }

    @Test
    void aliceAndBobLogInWithScramSha256OverStartTls() throws Exception {
        XMPPTCPConnection alice = login(SmackClients.config(server, "alice", TestServers.ALICE_PASSWORD), ScramSha256ClientMechanism.NAME);
        XMPPTCPConnection bob = login(SmackClients.config(server, "bob", TestServers.BOB_PASSWORD), ScramSha256ClientMechanism.NAME);

        assertEquals("SCRAM-SHA-256", alice.getUsedSaslMechansism());
        assertEquals("SCRAM-SHA-256", bob.getUsedSaslMechansism());
        assertTrue(alice.isSecureConnection());
        assertTrue(bob.isSecureConnection());
        assertTalk(alice, bob);
    }

    @Test
    void aliceAndBobLogInWithScramSha256OverDirectTls() throws Exception {
        XMPPTCPConnection alice = login(SmackClients.directTlsConfig(server, "alice", TestServers.ALICE_PASSWORD), ScramSha256ClientMechanism.NAME);
        XMPPTCPConnection bob = login(SmackClients.directTlsConfig(server, "bob", TestServers.BOB_PASSWORD), ScramSha256ClientMechanism.NAME);

        assertEquals("SCRAM-SHA-256", alice.getUsedSaslMechansism());
        assertEquals("SCRAM-SHA-256", bob.getUsedSaslMechansism());
        // Smack did no STARTTLS: the TLS came from the socket factory, and this server offers SASL
        // only on TLS streams, so the login itself proves the server saw TLS from the first byte.
        assertFalse(alice.isSecureConnection());
        assertTalk(alice, bob);
    }

    @Test
    void scramSha256PlusBindsToTheServerCertificate() throws Exception {
        XMPPTCPConnection alice = login(SmackClients.config(server, "alice", TestServers.ALICE_PASSWORD), ScramSha256ClientMechanism.NAME_PLUS);

        assertEquals("SCRAM-SHA-256-PLUS", alice.getUsedSaslMechansism());
        assertTrue(alice.isAuthenticated());
    }

    private XMPPTCPConnection login(XMPPTCPConnectionConfiguration.Builder config, String mechanism) throws Exception {
        XMPPTCPConnection c = SmackClients.connection(config.addEnabledSaslMechanism(mechanism));
        connections.add(c);
        c.connect().login();
        return c;
    }

    /** alice sends to bob's bound resource, bob receives with alice's bound JID as the sender. */
    private static void assertTalk(XMPPTCPConnection alice, XMPPTCPConnection bob) throws Exception {
        try (StanzaCollector bobInbox = bob.createStanzaCollector(MessageWithBodiesFilter.INSTANCE)) {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(bob.getUser()).setBody("hi bob").build());
            Message m = bobInbox.nextResult(SmackClients.REPLY_TIMEOUT_MS);
            assertEquals("hi bob", m.getBody());
            assertEquals(alice.getUser(), m.getFrom());
        }
    }
}
