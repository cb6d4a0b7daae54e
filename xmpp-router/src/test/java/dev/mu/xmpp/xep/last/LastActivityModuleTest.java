package dev.mu.xmpp.xep.last;

import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import dev.mu.xmpp.router.spi.Subscription;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0012: server uptime, and a user's last activity for those allowed to see it. */
class LastActivityModuleTest {

    private final TestServer server = new TestServer(clock -> List.of(new LastActivityModule(clock)), "alice", "bob", "carol");

    @Test
    void theServerTellsItsUptime() {
        // XEP-0012 §5: to a server, the time since it started.
        TestClient alice = server.online("alice", "phone");
        server.clock().advance(Duration.ofSeconds(903));

        alice.sendIq("get", "example.com", "<query xmlns='jabber:iq:last'/>");

        alice.receives("<iq type='result' from='example.com'><query xmlns='jabber:iq:last' seconds='903'/></iq>");
    }

    @Test
    void aSubscriberLearnsHowLongAgoTheUserLeft() {
        // XEP-0012 §4: offline user query, answered by the server.
        server.subscription("alice", "bob", Subscription.TO);
        TestClient bob = server.online("bob", "desk");
        TestClient alice = server.online("alice", "phone");
        bob.disconnect();
        server.clock().advance(Duration.ofSeconds(42));

        alice.sendIq("get", "bob@example.com", "<query xmlns='jabber:iq:last'/>");

        alice.drain().stream().filter(e -> e.name().equals("iq")).findFirst().ifPresentOrElse(
                e -> org.junit.jupiter.api.Assertions.assertEquals("42",
                        e.firstChild(LastActivityModule.NAMESPACE, "query").attribute("seconds"), e::toString),
                () -> org.junit.jupiter.api.Assertions.fail("no answer"));
    }

    @Test
    void anOnlineUserWasActiveJustNow() {
        server.subscription("alice", "bob", Subscription.TO);
        server.online("bob", "desk");
        TestClient alice = server.online("alice", "phone");
        server.quiet();

        alice.sendIq("get", "bob@example.com", "<query xmlns='jabber:iq:last'/>");

        alice.receives("<iq type='result' from='bob@example.com'><query xmlns='jabber:iq:last' seconds='0'/></iq>");
    }

    @Test
    void theUserMayAskAboutThemself() {
        TestClient alice = server.online("alice", "phone");

        alice.sendIq("get", null, "<query xmlns='jabber:iq:last'/>");

        alice.receives("<iq type='result'><query xmlns='jabber:iq:last' seconds='0'/></iq>");
    }

    @Test
    void someoneNotSubscribedIsForbidden() {
        // XEP-0012 §4: not authorized to see the user's presence: forbidden.
        server.online("bob", "desk");
        TestClient carol = server.online("carol", "tablet");
        server.quiet();

        carol.sendIq("get", "bob@example.com", "<query xmlns='jabber:iq:last'/>");

        carol.receivesError("iq", "forbidden");
    }

    @Test
    void aSubscriptionTheOtherWayIsNotEnough() {
        // bob sees carol's presence, not the reverse.
        server.subscription("bob", "carol", Subscription.TO);
        TestClient carol = server.online("carol", "tablet");
        server.quiet();

        carol.sendIq("get", "bob@example.com", "<query xmlns='jabber:iq:last'/>");

        carol.receivesError("iq", "forbidden");
    }

    @Test
    void aUserNeverSeenSinceStartIsItemNotFound() {
        server.subscription("alice", "bob", Subscription.TO);
        TestClient alice = server.online("alice", "phone");
        alice.drain();

        alice.sendIq("get", "bob@example.com", "<query xmlns='jabber:iq:last'/>");

        alice.receivesError("iq", "item-not-found");
    }
}
