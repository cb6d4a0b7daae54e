package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.Roster.SubscriptionMode;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.BareJid;

/**
 * The federation transcript both server pairs run: two users on different servers subscribe to each
 * other (RFC 6121 §3), see each other's presence (§4) and exchange messages (§5). Tests only.
 */
final class FederationTranscript {

    /** Bounded wait for anything that crosses servers; the first stanza also sets up the streams. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private FederationTranscript() {
    }

    /** Logs in with manual subscription handling and a loaded roster, then sends available presence. */
    static XMPPTCPConnection online(XMPPTCPConnection c) throws Exception {
        c.connect().login();
        Roster roster = Roster.getInstanceFor(c);
        roster.setSubscriptionMode(SubscriptionMode.manual);
        roster.reloadAndWait();
        SmackClients.available(c, 0);
        return c;
    }

    /** alice and bob, on two servers, subscribe to each other, see presence and chat both ways. */
    static void run(XMPPTCPConnection alice, BareJid aliceJid, XMPPTCPConnection bob, BareJid bobJid) throws Exception {
        Roster aliceRoster = Roster.getInstanceFor(alice);
        Roster bobRoster = Roster.getInstanceFor(bob);
        long wait = WAIT.toMillis();
        try (StanzaCollector bobRequests = bob.createStanzaCollector(
                     new AndFilter(PresenceTypeFilter.SUBSCRIBE, FromMatchesFilter.createBare(aliceJid)));
             StanzaCollector aliceRequests = alice.createStanzaCollector(
                     new AndFilter(PresenceTypeFilter.SUBSCRIBE, FromMatchesFilter.createBare(bobJid)))) {

            // alice asks to see bob's presence: the request crosses to bob's server from her bare JID
            aliceRoster.createItemAndRequestSubscription(bobJid, "Bob", null);
            Presence request = bobRequests.nextResult(wait);
            assertNotNull(request, "bob got no subscription request from alice");
            assertEquals(aliceJid, request.getFrom(), "RFC 6121 §3.1.2: the request comes from alice's bare JID");

            // bob approves and subscribes back; alice approves
            bob.sendStanza(presence(bob, Presence.Type.subscribed, aliceJid));
            bobRoster.sendSubscriptionRequest(aliceJid);
            assertNotNull(aliceRequests.nextResult(wait), "alice got no subscription request from bob");
            alice.sendStanza(presence(alice, Presence.Type.subscribed, bobJid));
        }
        Await.until("both rosters at 'both'", WAIT, () -> type(aliceRoster, bobJid) == ItemType.both
                && type(bobRoster, aliceJid) == ItemType.both);

        // RFC 6121 §3.1.5: each approval delivers the approver's current presence
        Await.until("alice sees bob available", WAIT, () -> aliceRoster.getPresence(bobJid).isAvailable());
        Await.until("bob sees alice available", WAIT, () -> bobRoster.getPresence(aliceJid).isAvailable());

        // messages both ways
        assertMessage(alice, bob, bobJid, aliceJid, "hello from " + aliceJid.getDomain());
        assertMessage(bob, alice, aliceJid, bobJid, "hello from " + bobJid.getDomain());

        // a presence change crosses too
        alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                .setMode(Presence.Mode.away).setStatus("out").build());
        Await.until("bob sees alice away", WAIT, () -> bobRoster.getPresence(aliceJid).getMode() == Presence.Mode.away);
    }

    private static void assertMessage(XMPPTCPConnection from, XMPPTCPConnection to, BareJid toJid, BareJid fromJid, String body)
            throws Exception {
        try (StanzaCollector received = to.createStanzaCollector(
                new AndFilter(MessageWithBodiesFilter.INSTANCE, FromMatchesFilter.createBare(fromJid)))) {
            from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(toJid).ofType(Message.Type.chat).setBody(body).build());
            Message m = received.nextResult(WAIT.toMillis());
            assertNotNull(m, toJid + " got no message from " + fromJid);
            assertEquals(body, m.getBody());
            assertEquals(from.getUser(), m.getFrom(), "the full JID of the sender crosses unchanged");
        }
    }

    private static Presence presence(XMPPTCPConnection c, Presence.Type type, BareJid to) {
        return c.getStanzaFactory().buildPresenceStanza().ofType(type).to(to).build();
    }

    private static ItemType type(Roster roster, BareJid contact) {
        return roster.getEntry(contact) == null ? null : roster.getEntry(contact).getType();
    }
}
