package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Clients that were quiet long enough for the server to drop their stream parser's XML reader
 * (see {@link IdleTimeouts}) send and receive afterwards as before: the parser restarts inside the
 * open stream, with its namespaces.
 */
class IdleParserReleaseIT {

    /** Short, so that a quiet pause of {@link #QUIET} is many release delays long. */
    private static final Duration RELEASE_DELAY = Duration.ofMillis(100);
    private static final long QUIET = 1_000;

    @TempDir
    Path dataDir;

    XmppServer server;

    @BeforeEach
    void start() {
        server = TestServers.builder(dataDir)
                .plainWithScram(true)
                .limits(C2sLimits.builder().parserReleaseDelay(RELEASE_DELAY).build())
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void quietSmackClientsChatAfterwards() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(server, "alice", TestServers.ALICE_PASSWORD, "phone");
        XMPPTCPConnection bob = SmackClients.login(server, "bob", TestServers.BOB_PASSWORD, "laptop");
        try {
            StanzaCollector bobInbox = bob.createStanzaCollector(MessageWithBodiesFilter.INSTANCE);
            StanzaCollector aliceInbox = alice.createStanzaCollector(MessageWithBodiesFilter.INSTANCE);
            for (int round = 1; round <= 2; round++) {
                Thread.sleep(QUIET);
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                        .to(bob.getUser()).setBody("après " + round + " <&> 😀")
                        .addExtension(new ChatStateExtension(ChatState.composing))
                        .build());
                Message toBob = (Message) bobInbox.nextResult(SmackClients.REPLY_TIMEOUT_MS);
                assertNotNull(toBob, "bob got nothing in round " + round);
                assertEquals("après " + round + " <&> 😀", toBob.getBody());
                ChatStateExtension state = assertInstanceOf(ChatStateExtension.class,
                        toBob.getExtension("composing", ChatStateExtension.NAMESPACE), toBob.toXML().toString());
                assertEquals(ChatState.composing, state.getChatState());

                Thread.sleep(QUIET);
                bob.sendStanza(bob.getStanzaFactory().buildMessageStanza()
                        .to(JidCreate.entityBareFrom("alice@example.com")).setBody("reply " + round).build());
                Message toAlice = (Message) aliceInbox.nextResult(SmackClients.REPLY_TIMEOUT_MS);
                assertNotNull(toAlice, "alice got nothing in round " + round);
                assertEquals("reply " + round, toAlice.getBody());
            }
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aQuietRawClientSendsSplitStanzasAndClosesItsStream() throws Exception {
        try (RawXmppSocket client = RawXmppSocket.directTls(server.directTlsPort())) {
            client.openStream("example.com");
            client.readUntil(AuthenticationIT.FEATURES_END);
            Thread.sleep(QUIET);
            client.authPlain("alice", TestServers.ALICE_PASSWORD);
            client.readUntil("<success[^>]*(/>|</success>)");
            client.openStream("example.com");
            client.readUntil(AuthenticationIT.FEATURES_END);
            client.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                    + "<resource>raw</resource></bind></iq>");
            client.readUntil("</iq>");

            // A message to itself, cut inside a multi-byte character, after a quiet pause.
            Thread.sleep(QUIET);
            byte[] message = ("<message to='alice@example.com/raw' id='m1'><body>é😀 &amp; &lt;x&gt;</body>"
                    + "<x xmlns='urn:x:test'><y a='&quot;q&quot;'/></x></message>").getBytes(StandardCharsets.UTF_8);
            int cut = indexOf(message, (byte) 0xF0) + 2;
            client.send(message, 0, cut);
            Thread.sleep(50);
            client.send(message, cut, message.length - cut);
            String echoed = client.readUntil("</message>");
            assertTrue(echoed.contains("<body>é😀 &amp; &lt;x"), echoed);
            assertTrue(echoed.contains("<x xmlns='urn:x:test'><y a="), echoed);

            Thread.sleep(QUIET);
            client.send(" ");
            Thread.sleep(QUIET);
            client.send("<iq type='get' id='p1' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
            String pong = client.readUntil("</iq>|<iq[^>]*/>");
            assertTrue(pong.contains("id='p1'") && pong.contains("type='result'"), pong);

            Thread.sleep(QUIET);
            client.send("</stream:stream>");
            assertTrue(client.readToEnd().endsWith("</stream:stream>"));
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("no byte " + b);
    }
}
