package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Half-open connections: a silent client is pinged after the ping interval (XEP-0199 §4.1, or an
 * XEP-0198 {@code <r/>}) and cut off with {@code connection-timeout} when it does not answer, while
 * a client that answers stays connected.
 */
class KeepaliveIT {

    @TempDir
    Path dataDir;

    XmppServer server;

    @BeforeEach
    void start() {
        server = TestServers.builder(dataDir)
                .plainWithScram(true)
                .limits(C2sLimits.builder().pingInterval(Duration.ofSeconds(1)).build())
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aSilentClientIsPingedThenCutOff() throws Exception {
        try (RawXmppSocket client = RawXmppSocket.directTls(server.directTlsPort())) {
            client.openStream("example.com");
            client.readUntil(AuthenticationIT.FEATURES_END);
            client.authPlain("alice", TestServers.ALICE_PASSWORD);
            client.readUntil("<success[^>]*(/>|</success>)");
            client.openStream("example.com");
            client.readUntil(AuthenticationIT.FEATURES_END);
            client.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
            client.readUntil("</iq>");

            // Silent from here on: the server asks once, then gives up on the connection.
            String ping = client.readUntil("<ping xmlns='urn:xmpp:ping'/></iq>");
            assertTrue(ping.contains("type='get'"), ping);
            String end = client.readToEnd();
            assertTrue(end.contains("<connection-timeout xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), end);
            assertTrue(end.endsWith("</stream:stream>"), end);
        }
    }

    @Test
    void aClientThatAnswersStaysConnectedAcrossIntervals() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(server, "alice", TestServers.ALICE_PASSWORD, "phone");
        XMPPTCPConnection bob = SmackClients.login(server, "bob", TestServers.BOB_PASSWORD, "laptop");
        try {
            StanzaCollector inbox = bob.createStanzaCollector(MessageWithBodiesFilter.INSTANCE);
            // Three intervals of silence from the application: Smack answers the server's requests.
            Thread.sleep(3_500);
            assertTrue(alice.isConnected() && bob.isConnected(), "an answering client was cut off");
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityBareFrom("bob@example.com")).setBody("still here").build());
            Message received = inbox.nextResult(SmackClients.REPLY_TIMEOUT_MS);
            assertNotNull(received, "no message after the idle intervals");
            assertEquals("still here", received.getBody());
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
