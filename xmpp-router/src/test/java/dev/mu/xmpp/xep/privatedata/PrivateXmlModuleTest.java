package dev.mu.xmpp.xep.privatedata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0049 private XML storage, as alice and bob see it. */
class PrivateXmlModuleTest {

    private static final String NS = "jabber:iq:private";
    private static final String PREFS = "<prefs xmlns='urn:example:prefs'><theme>dark</theme></prefs>";

    private final TestServer server = new TestServer(List.of(new PrivateXmlModule()), "alice", "bob");
    private final TestClient alice = server.online("alice", "phone");
    private final TestClient bob = server.online("bob", "laptop");

    private XmlElement get(TestClient client, String to, String key) {
        client.sendIq("get", to, "<query xmlns='" + NS + "'>" + key + "</query>");
        return client.next();
    }

    @Test
    void storedDataComesBackByName() {
        // XEP-0049 §2.1: store with a set, retrieve with a get naming the element.
        String id = alice.sendIq("set", null, "<query xmlns='" + NS + "'>" + PREFS + "</query>");
        alice.receives("<iq type='result' id='" + id + "'/>");

        XmlElement result = get(alice, null, "<prefs xmlns='urn:example:prefs'/>");

        assertEquals("result", result.attribute("type"), result::toString);
        XmlElement prefs = result.firstChild(NS, "query").firstChild("urn:example:prefs", "prefs");
        assertEquals("dark", prefs.firstChild("urn:example:prefs", "theme").text());
    }

    @Test
    void aSetReplacesTheElementOfTheSameNameOnly() {
        alice.sendIq("set", null, "<query xmlns='" + NS + "'>" + PREFS + "<bookmarks xmlns='storage:bookmarks'/></query>");
        alice.sendIq("set", null, "<query xmlns='" + NS + "'><prefs xmlns='urn:example:prefs'><theme>light</theme></prefs></query>");
        alice.drain();

        XmlElement prefs = get(alice, null, "<prefs xmlns='urn:example:prefs'/>").firstChild(NS, "query").firstChild("urn:example:prefs", "prefs");
        assertEquals("light", prefs.firstChild("urn:example:prefs", "theme").text());
        alice.sendIq("get", null, "<query xmlns='" + NS + "'><bookmarks xmlns='storage:bookmarks'/></query>");
        alice.receives("<iq type='result'><query xmlns='" + NS + "'><bookmarks xmlns='storage:bookmarks'/></query></iq>");
    }

    @Test
    void nothingStoredIsTheEmptyElement() {
        // XEP-0049 §2.1: with nothing stored, the server returns the empty element it was asked for.
        XmlElement result = get(alice, null, "<prefs xmlns='urn:example:prefs'/>");

        XmlElement prefs = result.firstChild(NS, "query").firstChild("urn:example:prefs", "prefs");
        assertTrue(prefs != null && prefs.children().isEmpty(), result::toString);
    }

    @Test
    void dataIsPerUser() {
        alice.sendIq("set", null, "<query xmlns='" + NS + "'>" + PREFS + "</query>");
        alice.drain();

        XmlElement prefs = get(bob, null, "<prefs xmlns='urn:example:prefs'/>").firstChild(NS, "query").firstChild("urn:example:prefs", "prefs");
        assertTrue(prefs.children().isEmpty(), prefs::toString);
    }

    @Test
    void anotherUsersStorageIsForbidden() {
        alice.sendIq("set", null, "<query xmlns='" + NS + "'>" + PREFS + "</query>");
        alice.drain();

        // XEP-0049 §3: a request to another user's storage is answered with forbidden.
        bob.sendIq("get", "alice@example.com", "<query xmlns='" + NS + "'><prefs xmlns='urn:example:prefs'/></query>");
        bob.receivesError("iq", "forbidden");
        bob.sendIq("set", "alice@example.com", "<query xmlns='" + NS + "'><prefs xmlns='urn:example:prefs'/></query>");
        bob.receivesError("iq", "forbidden");
        alice.receivesNothing();
    }

    @Test
    void reservedOrMissingNamespacesAreNotAcceptable() {
        // XEP-0049 §3: storing or retrieving in jabber:client, jabber:server, jabber:iq:private, or
        // in no namespace is not-acceptable.
        for (String bad : List.of("<x xmlns='jabber:iq:private'/>", "<x xmlns='jabber:client'/>",
                "<x xmlns='jabber:server'/>", "<x xmlns=''/>")) {
            alice.sendIq("set", null, "<query xmlns='" + NS + "'>" + bad + "</query>");
            alice.receivesError("iq", "not-acceptable");
            alice.sendIq("get", null, "<query xmlns='" + NS + "'>" + bad + "</query>");
            alice.receivesError("iq", "not-acceptable");
        }
    }

    @Test
    void aQueryWithoutAnElementIsBadRequest() {
        alice.sendIq("get", null, "<query xmlns='" + NS + "'/>");
        alice.receivesError("iq", "bad-request");
    }
}
