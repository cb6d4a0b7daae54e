package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.server.sm.StreamManagementConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0198 with Smack 4.4: alice's connection breaks mid-conversation (Smack's
 * {@code instantShutdown()} drops the socket without closing the stream); either she resumes and
 * gets every message exactly once, or she never comes back and gets them from offline storage at her
 * next login.
 *
 * <p>"Exactly once" is checked without waiting for a timeout: after the messages, bob sends a
 * marker; the stream is ordered, so a duplicate would arrive before it.
 */
class StreamManagementIT {

    static final org.jxmpp.jid.EntityBareJid ALICE = JidCreate.entityBareFromOrThrowUnchecked("alice@example.com");
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    XmppServer server;
    final List<XMPPTCPConnection> connections = new ArrayList<>();

    @AfterEach
    void stop() {
        SmackClients.disconnectAll(connections);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBrokenConnectionResumesAndEveryMessageArrivesExactlyOnce() throws Exception {
        server = TestServers.start(dataDir);
        XMPPTCPConnection alice = managedAlice();
        List<String> inbox = inbox(alice);
        XMPPTCPConnection bob = SmackClients.login(server, "bob", TestServers.BOB_PASSWORD, "desk");
        connections.add(bob);

        send(bob, "m1", "m2", "m3");
        Await.until("alice's first messages", WAIT, () -> inbox.size() == 3);

        alice.instantShutdown();
        send(bob, "m4", "m5", "m6");

        alice.connect().login();
        assertTrue(alice.streamWasResumed(), "XEP-0198 §5: the session was resumed");
        send(bob, "m7", "m8", "marker");

        Await.until("the marker", WAIT, () -> inbox.contains("marker"));
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "marker"), List.copyOf(inbox));
    }

    @Test
    void unacknowledgedMessagesOfASessionThatNeverResumesAreKeptOffline() throws Exception {
        server = TestServers.builder(dataDir)
                .streamManagement(StreamManagementConfig.builder().resumptionTimeout(Duration.ofSeconds(1)).build())
                .build().start();
        XMPPTCPConnection alice = managedAlice();
        XMPPTCPConnection bob = SmackClients.login(server, "bob", TestServers.BOB_PASSWORD, "desk");
        connections.add(bob);

        alice.instantShutdown();
        send(bob, "m1", "m2", "m3");
        EntityBareJid aliceJid = EntityBareJid.of("alice", TestServers.DOMAIN);
        Await.until("alice's session to end", WAIT, () -> server.router().sessionCount(aliceJid) == 0);

        XMPPTCPConnection again = SmackClients.connection(SmackClients.config(server, "alice", TestServers.ALICE_PASSWORD)
                .setResource("laptop").setSendPresence(false));
        connections.add(again);
        List<String> inbox = inbox(again);
        again.connect().login();
        SmackClients.available(again, 0);
        send(bob, "marker");

        Await.until("the marker", WAIT, () -> inbox.contains("marker"));
        assertEquals(List.of("m1", "m2", "m3", "marker"), List.copyOf(inbox));
    }

    private XMPPTCPConnection managedAlice() throws Exception {
        XMPPTCPConnection alice = SmackClients.connection(SmackClients.config(server, "alice", TestServers.ALICE_PASSWORD)
                .setResource("phone").setSendPresence(false));
        alice.setUseStreamManagement(true);
        alice.setUseStreamManagementResumption(true);
        connections.add(alice);
        alice.connect().login();
        assertTrue(alice.isSmEnabled(), "XEP-0198 §3: enabled after binding");
        SmackClients.available(alice, 0);
        return alice;
    }

    /** The bodies a connection receives, across reconnections, in order. */
    private static List<String> inbox(XMPPTCPConnection c) {
        List<String> bodies = new CopyOnWriteArrayList<>();
        c.addSyncStanzaListener(stanza -> bodies.add(((Message) stanza).getBody()), MessageWithBodiesFilter.INSTANCE);
        return bodies;
    }

    private static void send(XMPPTCPConnection from, String... bodies) throws Exception {
        for (String body : bodies) {
            from.sendStanza(from.getStanzaFactory().buildMessageStanza()
                    .to(ALICE).ofType(Message.Type.chat).setBody(body).build());
        }
    }
}
