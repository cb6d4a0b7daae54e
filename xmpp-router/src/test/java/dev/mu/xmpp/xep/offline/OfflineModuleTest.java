package dev.mu.xmpp.xep.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import dev.mu.xmpp.router.memory.InMemoryStorageProvider;
import dev.mu.xmpp.xep.delay.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** XEP-0160 offline storage with XEP-0203 delay stamps, as alice and bob see it. */
class OfflineModuleTest {

    private final TestServer server = server(Map.of());
    private final TestClient alice = server.online("alice", "phone");

    private static TestServer server(Map<String, ?> options) {
        return new TestServer(clock -> List.of(new OfflineModule(clock)), new InMemoryStorageProvider(), options,
                "alice", "bob");
    }

    private static String chat(String body) {
        return "<message to='bob@example.com' type='chat' id='" + body + "'><body>" + body + "</body></message>";
    }

    /** Bob logs in as a typical client: binds, gets the roster, sends presence; nothing is drained. */
    private TestClient bobLogsIn(int priority) {
        return logsIn("laptop", priority);
    }

    private TestClient logsIn(String resource, int priority) {
        TestClient bob = server.bound("bob", resource);
        bob.requestRoster();
        bob.send(priority == 0 ? "<presence/>" : "<presence><priority>" + priority + "</priority></presence>");
        bob.receives("<presence from='bob@example.com/" + resource + "'/>");
        return bob;
    }

    @Test
    void chatAndNormalMessagesWaitAndArriveStampedOnce() {
        alice.send(chat("one"));
        server.clock().advance(Duration.ofMinutes(5));
        alice.send("<message to='bob@example.com' id='two'><body>two</body></message>");
        alice.receivesNothing();

        TestClient bob = bobLogsIn(0);

        // XEP-0160 §3 / XEP-0203 §3: delivered in order with a delay stamp from the server's domain
        // giving when the server received each message.
        bob.receives("<message from='alice@example.com/phone' to='bob@example.com/laptop' type='chat' id='one'>"
                + "<body>one</body><delay xmlns='urn:xmpp:delay' from='example.com' stamp='2024-05-01T12:00:00Z'/></message>");
        bob.receives("<message from='alice@example.com/phone' id='two'>"
                + "<body>two</body><delay xmlns='urn:xmpp:delay' from='example.com' stamp='2024-05-01T12:05:00Z'/></message>");
        bob.receivesNothing();
        assertTrue(server.storage().offline().peek(TestServer.bare("bob")).isEmpty(), "delivered messages are removed");

        // Once delivered they are gone: another resource logging in gets nothing more.
        bob.disconnect();
        logsIn("tablet", 0).receivesNothing();
    }

    @Test
    void theDelayStampIsTheOnlyOneAndTheMessageIsOtherwiseUnchanged() {
        alice.send("<message to='bob@example.com' type='chat' id='x'><body>hi</body><thread>t1</thread></message>");

        TestClient bob = bobLogsIn(0);

        XmlElement m = bob.next();
        assertEquals(1, m.elements().stream().filter(e -> e.is(Delay.QNAME)).count(), m::toString);
        assertEquals("t1", m.firstChild(XmlElement.CONTENT_NS, "thread").text());
        assertEquals("Offline Storage", m.firstChild(Delay.NAMESPACE, "delay").text());
    }

    @Test
    void aMessageToAnOfflineResourceIsKeptForTheUser() {
        // RFC 6121 §8.5.3.2.1: a chat to a resource that is not there is treated as sent to the bare JID.
        alice.send("<message to='bob@example.com/gone' type='chat' id='r'><body>for gone</body></message>");

        bobLogsIn(0).receives("<message id='r'><body>for gone</body><delay xmlns='urn:xmpp:delay' from='example.com'/></message>");
    }

    @Test
    void headlineGroupchatAndErrorMessagesAreNotStored() {
        // XEP-0160 §3 and RFC 6121 §8.5.2.1.1: only normal and chat messages go to offline storage;
        // a headline is silently dropped, a groupchat bounces, an error is dropped.
        alice.send("<message to='bob@example.com' type='headline'><body>news</body></message>");
        alice.receivesNothing();
        alice.send("<message to='bob@example.com' type='groupchat' id='g'><body>room</body></message>");
        alice.receivesError("message", "service-unavailable");
        alice.send("<message to='bob@example.com' type='error' id='e'><error type='cancel'>"
                + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        alice.receivesNothing();

        TestClient bob = bobLogsIn(0);

        bob.receivesNothing();
        assertTrue(server.storage().offline().peek(TestServer.bare("bob")).isEmpty());
    }

    @Test
    void pastTheLimitTheSenderIsToldServiceUnavailable() {
        TestServer small = server(Map.of(OfflineModule.LIMIT_OPTION, 2));
        TestClient sender = small.online("alice", "phone");
        sender.send(chat("one"));
        sender.send(chat("two"));
        sender.receivesNothing();

        sender.send(chat("three"));

        // XEP-0160 §3 / RFC 6121 §8.5.2.1.1: a message that cannot be stored is answered with
        // service-unavailable from the recipient's bare JID.
        XmlElement error = sender.receivesError("message", "service-unavailable");
        assertEquals("bob@example.com", error.attribute("from"));
        assertEquals("three", error.attribute("id"));
        assertEquals(2, small.storage().offline().peek(TestServer.bare("bob")).size());
    }

    @Test
    void aNegativePriorityDoesNotTakeTheMessagesButLaterRaisingItDoes() {
        alice.send(chat("early"));
        TestClient bob = bobLogsIn(-1);

        // XEP-0160 §4 / RFC 6121 §8.5.2.1.1: a resource with a negative priority gets no offline messages...
        bob.receivesNothing();
        alice.send(chat("while negative"));
        alice.receivesNothing();
        bob.receivesNothing();

        // ...until it sends available presence with a non-negative priority.
        bob.send("<presence><priority>1</priority></presence>");
        bob.receives("<presence from='bob@example.com/laptop'/>");
        bob.receives("<message id='early'><body>early</body><delay xmlns='urn:xmpp:delay' from='example.com'/></message>");
        bob.receives("<message id='while negative'><body>while negative</body><delay xmlns='urn:xmpp:delay' from='example.com'/></message>");
        bob.receivesNothing();

        // Presence updates after that deliver nothing again.
        bob.send("<presence><show>away</show><priority>1</priority></presence>");
        bob.receives("<presence from='bob@example.com/laptop'/>");
        bob.receivesNothing();
    }

    @Test
    void aBoundResourceWithoutPresenceDoesNotTakeTheMessages() {
        TestClient bob = server.bound("bob", "laptop");
        alice.send(chat("queued"));
        bob.receivesNothing();

        bob.send("<presence/>");

        bob.receives("<presence from='bob@example.com/laptop'/>");
        bob.receives("<message id='queued'><body>queued</body><delay xmlns='urn:xmpp:delay' from='example.com'/></message>");
    }

    @Test
    void serverFeaturesListMsgoffline() {
        assertTrue(server.router().features().contains("msgoffline"));
    }
}
