package dev.mu.xmpp.xep.ping;

import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0199 §4.2 client-to-server ping. */
class PingModuleTest {

    private final TestServer server = new TestServer(List.of(new PingModule()), "alice");

    @Test
    void theServerAnswersAPingWithAnEmptyResult() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='p1' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>");

        alice.receives("<iq type='result' id='p1' from='example.com' to='alice@example.com/phone'/>");
        alice.receivesNothing();
    }

    @Test
    void aPingWithoutToIsAnsweredToo() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");

        alice.receives("<iq type='result' id='p2'/>");
    }
}
