package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.FullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * RFC 6121 §8 delivery of messages and iqs between alice and bob's resources, and RFC 6120
 * §8.1.2.1 stamping of {@code from}.
 *
 * <p>To prove that a resource did <em>not</em> get a message without waiting for a timeout, alice
 * then sends a marker to that resource's full JID: both go through alice's one stream in order, so
 * if the marker is the first thing the resource receives, the earlier message was not delivered.
 */
class MessageDeliveryIT {

    static final EntityBareJid BOB = JidCreate.entityBareFromOrThrowUnchecked("bob@example.com");

    @TempDir
    Path dataDir;

    XmppServer server;
    final List<XMPPTCPConnection> connections = new ArrayList<>();
    final List<StanzaCollector> collectors = new ArrayList<>();
    XMPPTCPConnection alice;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(dataDir);
        alice = online("alice", TestServers.ALICE_PASSWORD, "phone", 0);
    }

    @AfterEach
    void stop() {
        collectors.forEach(StanzaCollector::cancel);
        SmackClients.disconnectAll(connections);
        server.close();
    }

    @Test
    void chatToTheBareJidGoesToTheHighestPriorityResourceOnly() throws Exception {
        XMPPTCPConnection bobDesk = online("bob", TestServers.BOB_PASSWORD, "desk", 5);
        XMPPTCPConnection bobPhone = online("bob", TestServers.BOB_PASSWORD, "phone", 1);
        StanzaCollector deskInbox = inbox(bobDesk);
        StanzaCollector phoneInbox = inbox(bobPhone);

        send(chat(BOB, "to bob"));

        assertReceived(deskInbox, "to bob", alice.getUser());
        assertNothingBefore(phoneInbox, bobPhone.getUser());
    }

    @Test
    void chatToTheBareJidGoesToEveryResourceOfEqualHighestPriority() throws Exception {
        XMPPTCPConnection bobDesk = online("bob", TestServers.BOB_PASSWORD, "desk", 3);
        XMPPTCPConnection bobPhone = online("bob", TestServers.BOB_PASSWORD, "phone", 3);
        StanzaCollector deskInbox = inbox(bobDesk);
        StanzaCollector phoneInbox = inbox(bobPhone);

        send(chat(BOB, "to both"));

        assertReceived(deskInbox, "to both", alice.getUser());
        assertReceived(phoneInbox, "to both", alice.getUser());
    }

    @Test
    void messageToAFullJidGoesToThatResourceOnly() throws Exception {
        XMPPTCPConnection bobDesk = online("bob", TestServers.BOB_PASSWORD, "desk", 5);
        XMPPTCPConnection bobPhone = online("bob", TestServers.BOB_PASSWORD, "phone", 1);
        StanzaCollector deskInbox = inbox(bobDesk);
        StanzaCollector phoneInbox = inbox(bobPhone);

        send(chat(bobPhone.getUser(), "to the phone"));

        assertReceived(phoneInbox, "to the phone", alice.getUser());
        assertNothingBefore(deskInbox, bobDesk.getUser());
    }

    @Test
    void onlyANegativePriorityResourceMeansNoDeliveryAndServiceUnavailable() throws Exception {
        XMPPTCPConnection bobAway = online("bob", TestServers.BOB_PASSWORD, "away", -1);
        StanzaCollector awayInbox = inbox(bobAway);
        StanzaCollector aliceErrors = collect(alice, MessageTypeFilter.ERROR);

        send(chat(BOB, "anyone there?"));

        // RFC 6121 §8.5.2.1.1: negative priority never gets bare-JID messages; with no offline
        // storage yet the sender learns it could not be delivered (§8.5.2.2.1).
        Message error = aliceErrors.nextResult(SmackClients.REPLY_TIMEOUT_MS);
        assertNotNull(error, "alice got no error");
        assertEquals(StanzaError.Condition.service_unavailable, error.getError().getCondition());
        assertEquals(BOB, error.getFrom());
        assertNothingBefore(awayInbox, bobAway.getUser());
    }

    @Test
    void iqToAnUnknownResourceIsServiceUnavailable() throws Exception {
        XMPPTCPConnection bobDesk = online("bob", TestServers.BOB_PASSWORD, "desk", 0);
        Jid nope = JidCreate.fullFrom("bob@example.com/nope");

        // RFC 6121 §8.5.3.2.3: an iq to a full JID with no such resource gets service-unavailable.
        XMPPErrorException ping = assertThrows(XMPPErrorException.class,
                () -> alice.sendIqRequestAndWaitForResponse(new Ping(nope)));
        assertEquals(StanzaError.Condition.service_unavailable, ping.getStanzaError().getCondition());
        assertEquals(nope, ping.getStanza().getFrom());
        XMPPErrorException version = assertThrows(XMPPErrorException.class,
                () -> alice.sendIqRequestAndWaitForResponse(new Version(nope)));
        assertEquals(StanzaError.Condition.service_unavailable, version.getStanzaError().getCondition());

        // ... while bob's real resource gets the iq and answers it (Smack answers pings).
        assertNotNull(alice.sendIqRequestAndWaitForResponse(new Ping(bobDesk.getUser())));
    }

    @Test
    void aSpoofedFromIsOverwrittenWithTheSendersFullJid() throws Exception {
        XMPPTCPConnection bobDesk = online("bob", TestServers.BOB_PASSWORD, "desk", 0);
        StanzaCollector deskInbox = inbox(bobDesk);
        // Smack omits 'from' by default; make it send the forged one.
        alice.setFromMode(XMPPConnection.FromMode.UNCHANGED);

        send(alice.getStanzaFactory().buildMessageStanza()
                .from(JidCreate.fullFrom("mallory@example.com/x"))
                .to(bobDesk.getUser())
                .ofType(Message.Type.chat)
                .setBody("it's me, alice")
                .build());

        // RFC 6120 §8.1.2.1: the server stamps 'from' with the full JID of the sender.
        assertReceived(deskInbox, "it's me, alice", alice.getUser());
    }

    private XMPPTCPConnection online(String user, String password, String resource, int priority) throws Exception {
        XMPPTCPConnection c = SmackClients.connection(SmackClients.config(server, user, password)
                .setResource(resource).setSendPresence(false));
        connections.add(c);
        c.connect().login();
        SmackClients.available(c, priority);
        return c;
    }

    private Message chat(Jid to, String body) {
        return alice.getStanzaFactory().buildMessageStanza().to(to).ofType(Message.Type.chat).setBody(body).build();
    }

    private void send(Message m) throws Exception {
        alice.sendStanza(m);
    }

    private StanzaCollector inbox(XMPPTCPConnection c) {
        return collect(c, MessageWithBodiesFilter.INSTANCE);
    }

    private StanzaCollector collect(XMPPTCPConnection c, org.jivesoftware.smack.filter.StanzaFilter filter) {
        StanzaCollector collector = c.createStanzaCollector(filter);
        collectors.add(collector);
        return collector;
    }

    private static void assertReceived(StanzaCollector inbox, String body, Jid from) throws InterruptedException {
        Message m = inbox.nextResult(SmackClients.REPLY_TIMEOUT_MS);
        assertNotNull(m, "no message '" + body + "'");
        assertEquals(body, m.getBody());
        assertEquals(from, m.getFrom());
    }

    /** alice sends a marker to the resource's full JID: it must be the first message there. */
    private void assertNothingBefore(StanzaCollector inbox, FullJid resource) throws Exception {
        send(chat(resource, "marker"));
        Message first = inbox.nextResult(SmackClients.REPLY_TIMEOUT_MS);
        assertNotNull(first, "the marker did not arrive at " + resource);
        assertEquals("marker", first.getBody(), resource + " got a message it should not have");
        assertTrue(inbox.pollResult() == null);
    }
}
