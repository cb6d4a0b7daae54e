package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 6121 §2: roster get, set, remove, versioning, and pushes to interested resources. */
class RosterTest {

    private static final String NS = "jabber:iq:roster";
    private final TestServer server = new TestServer("alice", "bob");

    @Test
    void anEmptyRosterHasAVersion() {
        TestClient alice = server.bound("alice", "phone");

        XmlElement query = alice.requestRoster();

        assertTrue(query.elements().isEmpty());
        assertTrue(query.attribute("ver") != null);
    }

    @Test
    void setAddsAnItemPushesItToInterestedResourcesOnlyAndGetReturnsIt() {
        // §2.1.6: pushes go to interested resources, i.e. those that requested the roster.
        TestClient phone = server.bound("alice", "phone");
        phone.requestRoster();
        TestClient laptop = server.bound("alice", "laptop");
        laptop.requestRoster();
        TestClient uninterested = server.bound("alice", "watch");

        String id = phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'>"
                + "<item jid='bob@example.com' name='Bob'><group>Friends</group><group>Work</group></item></query>");

        // §2.3.2: push to every interested resource, including the one that made the change, and a result.
        phone.receivesRosterPush("<item jid='bob@example.com' name='Bob' subscription='none'/>");
        phone.receives("<iq type='result' id='" + id + "'/>");
        XmlElement push = laptop.next();
        XmlElement item = push.firstChild(NS, "query").firstChild(NS, "item");
        assertEquals(Set.of("Friends", "Work"), Set.copyOf(item.elements().stream().map(XmlElement::text).toList()));
        uninterested.receivesNothing();

        XmlElement roster = uninterested.requestRoster();
        assertEquals(1, roster.elements().size());
        assertTrue(Xml.matches(Xml.parse("<item xmlns='jabber:iq:roster' jid='bob@example.com' name='Bob' subscription='none'>"
                + "<group>Friends</group><group>Work</group></item>"), roster.elements().get(0)), roster::toString);
    }

    @Test
    void aPushIsAnIqSetTheClientAnswersAndThatAnswerGoesNowhere() {
        TestClient phone = server.bound("alice", "phone");
        phone.requestRoster();

        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com'/></query>");
        XmlElement push = phone.next();
        phone.drain();
        phone.send("<iq type='result' id='" + push.attribute("id") + "'/>");

        phone.receivesNothing();
    }

    @Test
    void updateKeepsTheSubscriptionAndIgnoresClientSubscriptionAttributes() {
        // §2.1.2.5 / §2.3.2: the server MUST ignore a subscription value other than 'remove' in a set;
        // the 'ask' attribute is the server's too.
        server.friends("alice", "bob");
        TestClient phone = server.bound("alice", "phone");
        phone.requestRoster();

        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com' name='B' subscription='none' ask='subscribe'/></query>");

        phone.receivesRosterPush("<item jid='bob@example.com' name='B' subscription='both'/>");
    }

    @Test
    void removeOfAnUnknownItemIsItemNotFound() {
        // §2.5.3: item-not-found.
        TestClient phone = server.bound("alice", "phone");

        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='remove'/></query>");

        phone.receivesError("iq", "item-not-found");
    }

    @Test
    void removePushesRemoveAndForgetsTheItem() {
        TestClient phone = server.bound("alice", "phone");
        phone.requestRoster();
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com'/></query>");
        phone.drain();

        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='remove'/></query>");

        phone.receivesRosterPush("<item jid='bob@example.com' subscription='remove'/>");
        phone.receives("<iq type='result'/>");
        assertNull(server.item("alice", "bob"));
    }

    @Test
    void badSetsAreRefused() {
        // §2.3.3: more than one item: bad-request; empty group: not-acceptable; duplicate group: bad-request.
        TestClient phone = server.bound("alice", "phone");

        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com'/><item jid='carol@example.com'/></query>");
        phone.receivesError("iq", "bad-request");
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'/>");
        phone.receivesError("iq", "bad-request");
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com'><group></group></item></query>");
        phone.receivesError("iq", "not-acceptable");
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com'><group>A</group><group>A</group></item></query>");
        phone.receivesError("iq", "bad-request");
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item/></query>");
        phone.receivesError("iq", "bad-request");
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='a@b@c'/></query>");
        phone.receivesError("iq", "jid-malformed");

        phone.receivesNothing();
        assertTrue(server.roster("alice").items().isEmpty());
    }

    @Test
    void anotherUsersRosterIsForbidden() {
        // §2.1.5 (a roster belongs to its user): get and set addressed to someone else are refused.
        TestClient phone = server.bound("alice", "phone");

        phone.sendIq("get", "bob@example.com", "<query xmlns='jabber:iq:roster'/>");
        phone.receivesError("iq", "forbidden");
        phone.sendIq("set", "bob@example.com", "<query xmlns='jabber:iq:roster'><item jid='mallory@example.com'/></query>");
        phone.receivesError("iq", "forbidden");
        assertTrue(server.roster("bob").items().isEmpty());
    }

    @Test
    void getAddressedToTheOwnBareJidWorks() {
        TestClient phone = server.bound("alice", "phone");

        phone.sendIq("get", "alice@example.com", "<query xmlns='jabber:iq:roster'/>");

        phone.receives("<iq type='result'><query xmlns='jabber:iq:roster'/></iq>");
    }

    @Test
    void versioningAnswersACurrentVersionWithAnEmptyResult() {
        // §2.6.3: the client's version is current: an empty result, no items.
        TestClient phone = server.bound("alice", "phone");
        phone.requestRoster();
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com'/></query>");
        XmlElement push = phone.next();
        phone.drain();
        String ver = push.firstChild(NS, "query").attribute("ver");

        phone.sendIq("get", null, "<query xmlns='jabber:iq:roster' ver='" + ver + "'/>");
        XmlElement result = phone.next();
        assertEquals("result", result.attribute("type"));
        assertTrue(result.elements().isEmpty(), result::toString);

        // An older version, or an empty one (no cache), gets the whole roster with the current version.
        phone.sendIq("get", null, "<query xmlns='jabber:iq:roster' ver=''/>");
        XmlElement full = phone.next().firstChild(NS, "query");
        assertEquals(ver, full.attribute("ver"));
        assertEquals(1, full.elements().size());
    }

    @Test
    void everyChangeGetsANewVersionAndPushesCarryIt() {
        TestClient phone = server.bound("alice", "phone");
        String v0 = phone.requestRoster().attribute("ver");

        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com'/></query>");
        String v1 = phone.next().firstChild(NS, "query").attribute("ver");
        phone.drain();
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com' name='B'/></query>");
        String v2 = phone.next().firstChild(NS, "query").attribute("ver");
        phone.drain();

        assertNotEquals(v0, v1);
        assertNotEquals(v1, v2);
        assertEquals(v2, phone.requestRoster().attribute("ver"));
    }

    @Test
    void anUnchangedSetPushesNothingAndKeepsTheVersion() {
        TestClient phone = server.bound("alice", "phone");
        phone.requestRoster();
        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com' name='B'/></query>");
        phone.drain();
        String ver = server.roster("alice").versionString();

        phone.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com' name='B'/></query>");

        phone.receives("<iq type='result'/>").receivesNothing();
        assertEquals(ver, server.roster("alice").versionString());
    }

    @Test
    void aPendingInboundRequestIsNotARosterItem() {
        // §3.1.3: the contact's server SHOULD NOT add a roster item for an unanswered request.
        TestClient alice = server.online("alice", "phone");
        TestClient bob = server.bound("bob", "desk");
        String before = server.roster("bob").versionString();

        alice.send("<presence type='subscribe' to='bob@example.com'/>");

        assertTrue(bob.requestRoster().elements().isEmpty());
        assertEquals(before, server.roster("bob").versionString());
    }

    @Test
    void subscriptionChangesArePushedOnlyToInterestedResources() {
        // §2.1.6: a resource that never requested the roster gets no pushes, whatever changed it.
        TestClient interested = server.online("alice", "phone");
        TestClient watch = server.bound("alice", "watch");
        watch.send("<presence/>");
        TestClient bob = server.online("bob", "desk");
        server.quiet();

        interested.send("<presence type='subscribe' to='bob@example.com'/>");
        bob.send("<presence type='subscribed' to='alice@example.com'/>");

        interested.receivesRosterPush("<item jid='bob@example.com' subscription='none' ask='subscribe'/>");
        java.util.List<XmlElement> toWatch = watch.drain();
        assertTrue(toWatch.stream().noneMatch(e -> e.name().equals("iq")), toWatch::toString);
        // The watch, being available, still gets the approval and bob's presence (§3.1.6).
        assertTrue(toWatch.stream().anyMatch(e -> "subscribed".equals(e.attribute("type"))), toWatch::toString);
    }
}
