package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Federation between two instances of this server on loopback (RFC 6120 §13): each listens for
 * server streams on its own loopback address and finds the other through the static host map.
 */
class FederationIT {

    static final String PASSWORD = "secret";
    /** Where each test domain's server listens: its own loopback address, ports 5269 and any. */
    static final Map<String, String> ADDRESSES = Map.of(
            "a.test", "127.0.0.21", "b.test", "127.0.0.22", "c.test", "127.0.0.23", "d.test", "127.0.0.24",
            "e.test", "127.0.0.25", "f.test", "127.0.0.26");

    @TempDir
    Path dir;

    final List<XmppServer> servers = new ArrayList<>();
    final List<XMPPTCPConnection> connections = new ArrayList<>();

    @AfterEach
    void stop() {
        SmackClients.disconnectAll(connections);
        servers.forEach(XmppServer::close);
    }

    @Test
    void dialbackBetweenServersWithSelfSignedCertificates() throws Exception {
        // Neither certificate validates, so each server proves its domain with dialback (XEP-0220).
        XmppServer a = start(builder("a.test", "127.0.0.21", "alice").s2sHosts(Map.of("b.test", s2s("127.0.0.22"))));
        XmppServer b = start(builder("b.test", "127.0.0.22", "bob").s2sHosts(Map.of("a.test", s2s("127.0.0.21"))));

        XMPPTCPConnection alice = FederationTranscript.online(client(a, "alice"));
        XMPPTCPConnection bob = FederationTranscript.online(client(b, "bob"));
        FederationTranscript.run(alice, jid("alice@a.test"), bob, jid("bob@b.test"));
    }

    @Test
    void saslExternalWithCertificatesOfATrustedCa() throws Exception {
        // Dialback is off on both sides: only SASL EXTERNAL with CA-issued certificates (XEP-0178) works.
        TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
        TestPki.Issued c = pki.issue("c.test");
        TestPki.Issued d = pki.issue("d.test");
        XmppServer serverC = start(builder("c.test", "127.0.0.23", "carol").certificate(c.certFile(), c.keyFile())
                .s2sTrust(S2sTrust.jdkDefaultsAnd(pki.caFile())).dialback(false)
                .s2sHosts(Map.of("d.test", s2s("127.0.0.24"))));
        XmppServer serverD = start(builder("d.test", "127.0.0.24", "dave").certificate(d.certFile(), d.keyFile())
                .s2sTrust(S2sTrust.jdkDefaultsAnd(pki.caFile())).dialback(false)
                .s2sHosts(Map.of("c.test", s2s("127.0.0.23"))));

        XMPPTCPConnection carol = FederationTranscript.online(client(serverC, "carol"));
        XMPPTCPConnection dave = FederationTranscript.online(client(serverD, "dave"));
        FederationTranscript.run(carol, jid("carol@c.test"), dave, jid("dave@d.test"));
    }

    @Test
    void dnsSrvRecordsLeadToDirectTlsAndStartTlsPorts() throws Exception {
        // XEP-0368: e.test publishes only a direct TLS port; RFC 6120 §3.2.1: f.test a STARTTLS port
        // on another host name; both found through SRV at the test's DNS responder.
        try (TestDnsServer dns = new TestDnsServer("127.0.0.1")) {
            dns.srv("_xmpps-server._tcp.e.test", new TestDnsServer.Srv(0, 0, 5270, "tls.e.test")).a("tls.e.test", "127.0.0.25")
                    .srv("_xmpp-server._tcp.f.test", new TestDnsServer.Srv(10, 0, 5269, "nowhere.f.test"))
                    .srv("_xmpp-server._tcp.f.test", new TestDnsServer.Srv(5, 1, 5269, "xmpp.f.test")).a("xmpp.f.test", "127.0.0.26");
            XmppServer e = start(builder("e.test", "127.0.0.25", "erin").s2sPort(-1).s2sDirectTlsPort(5270)
                    .s2sDnsServer(dns.address()));
            XmppServer f = start(builder("f.test", "127.0.0.26", "frank").s2sDnsServer(dns.address()));

            XMPPTCPConnection erin = FederationTranscript.online(client(e, "erin"));
            XMPPTCPConnection frank = FederationTranscript.online(client(f, "frank"));
            FederationTranscript.run(erin, jid("erin@e.test"), frank, jid("frank@f.test"));
        }
    }

    @Test
    void withoutDialbackAPeerWithASelfSignedCertificateIsUnreachable() throws Exception {
        XmppServer a = start(builder("a.test", "127.0.0.21", "alice").dialback(false)
                .s2sHosts(Map.of("b.test", s2s("127.0.0.22"))));
        start(builder("b.test", "127.0.0.22", "bob").dialback(false).s2sHosts(Map.of("a.test", s2s("127.0.0.21"))));
        XMPPTCPConnection alice = FederationTranscript.online(client(a, "alice"));

        assertEquals(StanzaError.Condition.remote_server_not_found, bounce(alice, "bob@b.test"));
    }

    @Test
    void anUnreachableOrSilentPeerBouncesWithTheRightError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
             TestDnsServer dns = new TestDnsServer("127.0.0.1")) {
            XmppServer a = start(builder("a.test", "127.0.0.21", "alice")
                    .s2sSetupTimeout(Duration.ofSeconds(2))
                    .s2sDnsServer(dns.address())
                    .s2sDeny(List.of("denied.test"))
                    .s2sHosts(Map.of("refusing.test", new InetSocketAddress("127.0.0.1", closedPort),
                            "silent.test", new InetSocketAddress("127.0.0.1", silent.getLocalPort()))));
            XMPPTCPConnection alice = FederationTranscript.online(client(a, "alice"));

            // RFC 6120 §8.3.3.15: a refused connection is remote-server-not-found
            assertEquals(StanzaError.Condition.remote_server_not_found, bounce(alice, "bob@refusing.test"));
            // §8.3.3.16: a peer that accepts but never gets the stream ready is remote-server-timeout
            assertEquals(StanzaError.Condition.remote_server_timeout, bounce(alice, "bob@silent.test"));
            // a domain DNS does not know (NXDOMAIN for SRV and A)
            assertEquals(StanzaError.Condition.remote_server_not_found, bounce(alice, "bob@nonexistent.test"));
            // a denied domain is never contacted
            assertEquals(StanzaError.Condition.not_allowed, bounce(alice, "bob@denied.test"));
        }
    }

    @Test
    void aPeerSpoofingAnotherDomainIsCutOff() throws Exception {
        TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
        TestPki.Issued evil = pki.issue("evil.test");
        XmppServer a = start(builder("a.test", "127.0.0.21", "alice").s2sTrust(S2sTrust.only(pki.caFile())));
        XMPPTCPConnection alice = FederationTranscript.online(client(a, "alice"));

        String header = "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
                + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
                + " from='evil.test' to='a.test' version='1.0'>";
        RawXmppSocket plain = RawXmppSocket.plain("127.0.0.21", PeerResolver.DEFAULT_PORT).send(header);
        assertTrue(plain.readUntil("</stream:features>").contains("<required/>"), "STARTTLS is required");
        plain.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed[^>]*/>");
        try (RawXmppSocket peer = plain.startTls(evil.clientSocketFactory(), "a.test")) {
            String features = peer.send(header).readUntil("</stream:features>");
            assertTrue(features.contains("<mechanism>EXTERNAL</mechanism>"), features);
            peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"
                    + Base64.getEncoder().encodeToString("evil.test".getBytes(StandardCharsets.UTF_8)) + "</auth>");
            peer.readUntil("<success[^>]*/>");
            peer.send(header).readUntil("<stream:features(/>|>.*?</stream:features>)");

            // from the authenticated domain: delivered
            try (StanzaCollector received = alice.createStanzaCollector(MessageWithBodiesFilter.INSTANCE)) {
                peer.send("<message from='mallory@evil.test/x' to='alice@a.test' type='chat'><body>hi</body></message>");
                Message m = received.nextResult(FederationTranscript.WAIT.toMillis());
                assertNotNull(m, "the authenticated peer's message was not delivered");
                assertEquals("mallory@evil.test/x", m.getFrom().toString());
            }
            // RFC 6120 §4.9.3.9: from a domain it did not authenticate: invalid-from, and the stream ends
            peer.send("<message from='ceo@a.test' to='alice@a.test' type='chat'><body>wire money</body></message>");
            String rest = peer.readToEnd();
            assertTrue(rest.contains("<invalid-from xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), rest);
        }
    }

    /** Sends alice's message to a remote JID and returns the condition of the error that comes back. */
    private static StanzaError.Condition bounce(XMPPTCPConnection alice, String to) throws Exception {
        try (StanzaCollector errors = alice.createStanzaCollector(StanzaTypeFilter.MESSAGE)) {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(to).setBody("anyone there?").build());
            Message m = errors.nextResult(FederationTranscript.WAIT.toMillis());
            assertNotNull(m, "no bounce for " + to);
            assertEquals(Message.Type.error, m.getType(), m.toXML().toString());
            return m.getError().getCondition();
        }
    }

    private XmppServer.Builder builder(String domain, String address, String user) throws Exception {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser(user, PASSWORD);
        return XmppServer.builder()
                .domain(domain)
                .bindAddress(address)
                .c2sPort(0)
                .directTlsPort(-1)
                .s2sPort(PeerResolver.DEFAULT_PORT)
                .dataDirectory(Files.createDirectories(dir.resolve(domain)))
                .credentials(store)
                .threads(2);
    }

    private XmppServer start(XmppServer.Builder b) {
        XmppServer s = b.build().start();
        servers.add(s);
        return s;
    }

    /** A client of the server, connecting to the loopback address the server listens on. */
    private XMPPTCPConnection client(XmppServer server, String user) throws Exception {
        XMPPTCPConnection c = SmackClients.connection(SmackClients.config(server.domain().toString(), server.c2sPort(), user, PASSWORD)
                .setHost(ADDRESSES.get(server.domain().toString())).setResource("res").setSendPresence(false));
        connections.add(c);
        return c;
    }

    private static InetSocketAddress s2s(String address) {
        return new InetSocketAddress(address, PeerResolver.DEFAULT_PORT);
    }

    private static BareJid jid(String s) {
        return JidCreate.bareFromOrThrowUnchecked(s);
    }
}
