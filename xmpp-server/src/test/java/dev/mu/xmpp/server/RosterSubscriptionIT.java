package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.Roster.SubscriptionMode;
import org.jivesoftware.smack.roster.AbstractRosterListener;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * RFC 6121 §2 and §3 over the wire: alice adds bob, the subscription handshake runs both ways with
 * the roster pushes of every step, and presence then flows both ways, including unavailable.
 */
class RosterSubscriptionIT {

    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

    XmppServer server;
    final List<XMPPTCPConnection> connections = new ArrayList<>();
    final BareJid aliceJid = JidCreate.bareFromOrThrowUnchecked("alice@example.com");
    final BareJid bobJid = JidCreate.bareFromOrThrowUnchecked("bob@example.com");

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
    void aliceAndBobSubscribeToEachOtherAndSeePresence() throws Exception {
        XMPPTCPConnection alice = online("alice", TestServers.ALICE_PASSWORD, "phone");
        XMPPTCPConnection bob = online("bob", TestServers.BOB_PASSWORD, "laptop");
        Roster aliceRoster = Roster.getInstanceFor(alice);
        Roster bobRoster = Roster.getInstanceFor(bob);
        // Smack hides iq requests from collectors; its roster reports each push, in order, instead.
        BlockingQueue<String> alicePushes = pushes(aliceRoster);
        BlockingQueue<String> bobPushes = pushes(bobRoster);
        try (StanzaCollector aliceRequests = alice.createStanzaCollector(subscriptionFrom(PresenceTypeFilter.SUBSCRIBE, bobJid));
             StanzaCollector bobRequests = bob.createStanzaCollector(subscriptionFrom(PresenceTypeFilter.SUBSCRIBE, aliceJid))) {

            // alice adds bob to her roster (§2.3): one push, no subscription yet
            aliceRoster.createItem(bobJid, "Bob", null);
            assertPush(alicePushes, bobJid, ItemType.none, false);

            // alice asks to see bob's presence (§3.1.2): her item is "pending out", bob gets the request
            aliceRoster.sendSubscriptionRequest(bobJid);
            assertPush(alicePushes, bobJid, ItemType.none, true);
            Presence request = bobRequests.nextResult(SmackClients.REPLY_TIMEOUT_MS);
            assertNotNull(request, "bob got no subscription request");
            assertEquals(aliceJid, request.getFrom(), "§3.1.2: the request comes from alice's bare JID");

            // bob approves (§3.1.5): bob's roster gets alice as "from", alice's gets bob as "to"
            bob.sendStanza(subscription(bob, Presence.Type.subscribed, aliceJid));
            assertPush(bobPushes, aliceJid, ItemType.from, false);
            assertPush(alicePushes, bobJid, ItemType.to, false);

            // bob subscribes back; alice approves: both rosters end at "both"
            bobRoster.sendSubscriptionRequest(aliceJid);
            assertPush(bobPushes, aliceJid, ItemType.from, true);
            assertNotNull(aliceRequests.nextResult(SmackClients.REPLY_TIMEOUT_MS), "alice got no subscription request");
            alice.sendStanza(subscription(alice, Presence.Type.subscribed, bobJid));
            assertPush(alicePushes, bobJid, ItemType.both, false);
            assertPush(bobPushes, aliceJid, ItemType.both, false);
        }
        Await.until("both rosters at 'both'", WAIT, () -> type(aliceRoster, bobJid) == ItemType.both
                && type(bobRoster, aliceJid) == ItemType.both);
        assertEquals("Bob", aliceRoster.getEntry(bobJid).getName());

        // §3.1.5/§3.1.6: each approval delivers the approver's current presence
        Await.until("alice sees bob available", WAIT, () -> aliceRoster.getPresence(bobJid).isAvailable());
        Await.until("bob sees alice available", WAIT, () -> bobRoster.getPresence(aliceJid).isAvailable());

        // bob leaves (§4.5): alice sees him unavailable
        bob.disconnect();
        Await.until("alice sees bob unavailable", WAIT, () -> !aliceRoster.getPresence(bobJid).isAvailable());

        // bob comes back (§4.2): his initial presence reaches alice, his probe learns alice's presence
        XMPPTCPConnection bobAgain = online("bob", TestServers.BOB_PASSWORD, "tablet");
        Roster bobAgainRoster = Roster.getInstanceFor(bobAgain);
        assertEquals(ItemType.both, type(bobAgainRoster, aliceJid), "the roster was stored");
        Await.until("alice sees bob available again", WAIT, () -> aliceRoster.getPresence(bobJid).isAvailable());
        Await.until("bob's probe shows alice available", WAIT, () -> bobAgainRoster.getPresence(aliceJid).isAvailable());

        // alice leaves: bob sees her unavailable
        alice.disconnect();
        Await.until("bob sees alice unavailable", WAIT, () -> !bobAgainRoster.getPresence(aliceJid).isAvailable());
    }

    @Test
    void aSubscriptionRequestWaitsForBobToComeOnline() throws Exception {
        XMPPTCPConnection alice = online("alice", TestServers.ALICE_PASSWORD, "phone");
        Roster.getInstanceFor(alice).sendSubscriptionRequest(bobJid);

        // RFC 6121 §3.1.3: the server keeps the request and delivers it when bob becomes available
        XMPPTCPConnection bob = SmackClients.connection(SmackClients.config(server, "bob", TestServers.BOB_PASSWORD)
                .setResource("laptop").setSendPresence(false));
        connections.add(bob);
        bob.connect().login();
        Roster.getInstanceFor(bob).setSubscriptionMode(SubscriptionMode.manual);
        try (StanzaCollector requests = bob.createStanzaCollector(subscriptionFrom(PresenceTypeFilter.SUBSCRIBE, aliceJid))) {
            assertNull(requests.pollResult(), "no request before bob is available");
            SmackClients.available(bob, 0);
            assertNotNull(requests.nextResult(SmackClients.REPLY_TIMEOUT_MS), "the stored request was delivered");
        }
    }

    /** Logs in with manual subscription handling and a loaded roster, then sends available presence. */
    private XMPPTCPConnection online(String user, String password, String resource) throws Exception {
        XMPPTCPConnection c = SmackClients.connection(SmackClients.config(server, user, password)
                .setResource(resource).setSendPresence(false));
        connections.add(c);
        c.connect().login();
        Roster roster = Roster.getInstanceFor(c);
        roster.setSubscriptionMode(SubscriptionMode.manual);
        roster.reloadAndWait();
        SmackClients.available(c, 0);
        return c;
    }

    private static Presence subscription(XMPPTCPConnection c, Presence.Type type, BareJid to) {
        return c.getStanzaFactory().buildPresenceStanza().ofType(type).to(to).build();
    }

    /** Each roster push (RFC 6121 §2.1.6) as "contact subscription [ask]", in arrival order. */
    private static BlockingQueue<String> pushes(Roster roster) {
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        roster.addRosterListener(new AbstractRosterListener() {
            @Override
            public void entriesAdded(Collection<Jid> addresses) {
                addresses.forEach(this::record);
            }

            @Override
            public void entriesUpdated(Collection<Jid> addresses) {
                addresses.forEach(this::record);
            }

            private void record(Jid contact) {
                RosterEntry e = roster.getEntry(contact.asBareJid());
                out.add(contact + " " + e.getType() + (e.isSubscriptionPending() ? " ask" : ""));
            }
        });
        return out;
    }

    private static AndFilter subscriptionFrom(PresenceTypeFilter type, BareJid from) {
        return new AndFilter(type, FromMatchesFilter.createBare(from));
    }

    private static ItemType type(Roster roster, BareJid contact) {
        return roster.getEntry(contact) == null ? null : roster.getEntry(contact).getType();
    }

    /** The next roster push (RFC 6121 §2.1.6) brought the contact's item into this state. */
    private static void assertPush(BlockingQueue<String> pushes, BareJid contact, ItemType subscription, boolean askSubscribe)
            throws InterruptedException {
        String expected = contact + " " + subscription + (askSubscribe ? " ask" : "");
        assertEquals(expected, pushes.poll(SmackClients.REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    }
}
