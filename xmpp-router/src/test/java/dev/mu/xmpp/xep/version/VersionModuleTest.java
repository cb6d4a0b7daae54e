package dev.mu.xmpp.xep.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0092: the server's software name and version. */
class VersionModuleTest {

    @Test
    void answersNameAndVersionButNotTheOs() {
        TestServer server = new TestServer(List.of(new VersionModule()), "alice");
        TestClient alice = server.online("alice", "phone");

        alice.sendIq("get", "example.com", "<query xmlns='jabber:iq:version'/>");

        XmlElement query = alice.next().firstChild(VersionModule.NAMESPACE, "query");
        assertEquals(VersionModule.NAME, query.firstChild(VersionModule.NAMESPACE, "name").text());
        assertFalse(query.firstChild(VersionModule.NAMESPACE, "version").text().isBlank());
        assertNull(query.firstChild(VersionModule.NAMESPACE, "os"));
    }
}
