package dev.mu.xmpp.xep.vcard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0054 vcard-temp, as alice and bob see it. */
class VCardModuleTest {

    private final TestServer server = new TestServer(List.of(new VCardModule()), "alice", "bob");
    private final TestClient alice = server.online("alice", "phone");
    private final TestClient bob = server.online("bob", "laptop");

    private static final String CARD = "<vCard xmlns='vcard-temp'><FN>Alice Liddell</FN><NICKNAME>al</NICKNAME></vCard>";

    @Test
    void aUserPublishesTheirOwnAndEveryoneReadsIt() {
        // XEP-0054 §3.2: the user sets their vCard with an iq to no one (their own account).
        String id = alice.sendIq("set", null, CARD);
        alice.receives("<iq type='result' id='" + id + "'/>");

        // XEP-0054 §3.1: the owner reads it back.
        alice.sendIq("get", null, "<vCard xmlns='vcard-temp'/>");
        alice.receives("<iq type='result'>" + CARD + "</iq>");

        // XEP-0054 §3.3: another user reads it at the owner's bare JID, answered by the server.
        id = bob.sendIq("get", "alice@example.com", "<vCard xmlns='vcard-temp'/>");
        XmlElement result = bob.next();
        assertEquals("result", result.attribute("type"), result::toString);
        assertEquals(id, result.attribute("id"));
        assertEquals("alice@example.com", result.attribute("from"));
        assertEquals("Alice Liddell", result.firstChild("vcard-temp", "vCard").firstChild("vcard-temp", "FN").text());
        alice.receivesNothing();
    }

    @Test
    void aNewVCardReplacesTheOldOneWhole() {
        alice.sendIq("set", null, CARD);
        alice.sendIq("set", null, "<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>");
        alice.drain();

        bob.sendIq("get", "alice@example.com", "<vCard xmlns='vcard-temp'/>");
        XmlElement card = bob.next().firstChild("vcard-temp", "vCard");
        assertEquals(1, card.elements().size(), card::toString);
        assertEquals("Alice", card.firstChild("vcard-temp", "FN").text());
    }

    @Test
    void noVCardIsAnEmptyOne() {
        // XEP-0054 §3.1: "If no vCard exists, the server MUST return ... an empty <vCard/> element"
        // (or item-not-found); we return the empty element.
        bob.sendIq("get", "alice@example.com", "<vCard xmlns='vcard-temp'/>");
        XmlElement card = bob.next().firstChild("vcard-temp", "vCard");
        assertTrue(card.elements().isEmpty(), card::toString);

        alice.sendIq("get", null, "<vCard xmlns='vcard-temp'/>");
        assertTrue(alice.next().firstChild("vcard-temp", "vCard").elements().isEmpty());
    }

    @Test
    void settingAnotherUsersVCardIsForbidden() {
        // XEP-0054 §3.2 / RFC 6121 §8.5.2.1.3: only the owner publishes.
        bob.sendIq("set", "alice@example.com", "<vCard xmlns='vcard-temp'><FN>Not Alice</FN></vCard>");
        bob.receivesError("iq", "forbidden");

        alice.sendIq("get", null, "<vCard xmlns='vcard-temp'/>");
        assertTrue(alice.next().firstChild("vcard-temp", "vCard").elements().isEmpty());
    }

    @Test
    void aVCardOfNoAccountIsServiceUnavailable() {
        bob.sendIq("get", "nobody@example.com", "<vCard xmlns='vcard-temp'/>");

        bob.receivesError("iq", "service-unavailable");
    }

    @Test
    void theServerAdvertisesVCardTemp() {
        assertTrue(server.router().features().contains("vcard-temp"));
    }
}
