package dev.mu.xmpp.xep.disco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import dev.mu.xmpp.router.spi.DiscoIdentity;
import dev.mu.xmpp.xep.caps.EntityCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** XEP-0030 for the server and its accounts, with every module the server loads. */
class DiscoModuleTest {

    private final TestServer server = TestServer.withServiceModules("alice", "bob");
    private final TestClient alice = server.online("alice", "phone");

    private XmlElement info(String to, String node) {
        alice.sendIq("get", to, "<query xmlns='" + DiscoModule.INFO + "'" + (node == null ? "" : " node='" + node + "'") + "/>");
        XmlElement result = alice.next();
        assertEquals("result", result.attribute("type"), result::toString);
        return result.firstChild(DiscoModule.INFO, "query");
    }

    private static Set<String> features(XmlElement query) {
        Set<String> out = new TreeSet<>();
        query.elements().stream().filter(e -> e.name().equals("feature")).forEach(e -> out.add(e.attribute("var")));
        return out;
    }

    @Test
    void serverInfoListsTheServerIdentityAndEveryModulesFeature() {
        XmlElement query = info("example.com", null);

        assertEquals(Set.of(DiscoModule.INFO, DiscoModule.ITEMS, "urn:xmpp:ping", "jabber:iq:version",
                "urn:xmpp:time", "jabber:iq:last", "jabber:iq:private", "vcard-temp", "msgoffline"), features(query));
        assertEquals(server.router().features(), features(query));
        assertTrue(query.elements().stream().anyMatch(e -> e.name().equals("identity")
                && "server".equals(e.attribute("category")) && "im".equals(e.attribute("type"))), query::toString);
    }

    @Test
    void routerFeaturesAreSorted() {
        assertEquals(new ArrayList<>(new TreeSet<>(server.router().features())), new ArrayList<>(server.router().features()));
    }

    @Test
    void theCapsNodeAnswersWithTheSameInformation() {
        // XEP-0115 §6.2: info for node#ver answers like info without a node.
        List<DiscoIdentity> ids = server.router().identities();
        String node = EntityCapabilities.NODE + "#" + EntityCapabilities.verification(ids, server.router().features());

        XmlElement query = info("example.com", node);

        assertEquals(node, query.attribute("node"));
        assertEquals(server.router().features(), features(query));
    }

    @Test
    void anUnknownNodeIsItemNotFound() {
        alice.sendIq("get", "example.com", "<query xmlns='" + DiscoModule.INFO + "' node='nope'/>");
        alice.receivesError("iq", "item-not-found");
        alice.sendIq("get", "example.com", "<query xmlns='" + DiscoModule.ITEMS + "' node='nope'/>");
        alice.receivesError("iq", "item-not-found");
    }

    @Test
    void serverItemsAreEmpty() {
        alice.sendIq("get", "example.com", "<query xmlns='" + DiscoModule.ITEMS + "'/>");
        alice.receives("<iq type='result' from='example.com'><query xmlns='" + DiscoModule.ITEMS + "'/></iq>");
    }

    @Test
    void anAccountIsARegisteredAccount() {
        // XEP-0030 §3.1 / RFC 6121 §8.5.2.1.3: the server answers for the account.
        XmlElement query = info("bob@example.com", null);

        assertTrue(query.elements().stream().anyMatch(e -> e.name().equals("identity")
                && "account".equals(e.attribute("category")) && "registered".equals(e.attribute("type"))), query::toString);
    }

    @Test
    void aNonexistentAccountIsServiceUnavailable() {
        alice.sendIq("get", "nobody@example.com", "<query xmlns='" + DiscoModule.INFO + "'/>");

        alice.receivesError("iq", "service-unavailable");
    }
}
