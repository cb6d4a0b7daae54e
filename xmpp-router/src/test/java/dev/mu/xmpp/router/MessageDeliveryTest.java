package dev.mu.xmpp.router;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6121 §8.5: how the server delivers a message addressed to a local account. */
class MessageDeliveryTest {

    private final TestServer server = new TestServer("alice", "bob");

    @Nested
    class ToBareJid {

        @ParameterizedTest(name = "type {0}")
        @ValueSource(strings = {"normal", "chat"})
        void goesToTheResourceWithTheHighestNonNegativePriority(String type) {
            // §8.5.2.1.1: deliver to the "most available" resource(s), here the highest priority.
            TestClient low = server.online("bob", "low", 1);
            TestClient high = server.online("bob", "high", 5);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='" + type + "' to='bob@example.com' id='m1'><body>hi</body></message>");

            high.receives("<message from='alice@example.com/phone' to='bob@example.com' id='m1'><body>hi</body></message>");
            low.receivesNothing();
            alice.receivesNothing();
        }

        @Test
        void tiesAtTheHighestPriorityAllGetIt() {
            TestClient one = server.online("bob", "one", 3);
            TestClient two = server.online("bob", "two", 3);
            TestClient other = server.online("bob", "other", 2);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='chat' to='bob@example.com'><body>hi</body></message>");

            one.receives("<message type='chat' from='alice@example.com/phone'/>");
            two.receives("<message type='chat' from='alice@example.com/phone'/>");
            other.receivesNothing();
        }

        @ParameterizedTest(name = "type {0}")
        @ValueSource(strings = {"normal", "chat"})
        void onlyNegativePrioritiesIsNotDeliveredAndTheSenderIsTold(String type) {
            // §8.5.2.1.1: all negative: store offline or return service-unavailable; never deliver.
            TestClient bob = server.online("bob", "bot", -1);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='" + type + "' to='bob@example.com' id='m2'><body>hi</body></message>");

            bob.receivesNothing();
            alice.receives("<message type='error' id='m2' from='bob@example.com'><error type='cancel'>"
                    + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        }

        @ParameterizedTest(name = "type {0}")
        @ValueSource(strings = {"normal", "chat"})
        void noResourcesAtAllBouncesServiceUnavailable(String type) {
            // §8.5.2.2.1: offline storage or service-unavailable.
            TestClient alice = server.online("alice", "phone");

            alice.send("<message type='" + type + "' to='bob@example.com' id='m3'><body>hi</body></message>");

            alice.receivesError("message", "service-unavailable");
        }

        @Test
        void boundButNotAvailableResourcesDoNotGetBareJidMessages() {
            TestClient bob = server.bound("bob", "silent");
            TestClient alice = server.online("alice", "phone");

            alice.send("<message to='bob@example.com'><body>hi</body></message>");

            bob.receivesNothing();
            alice.receivesError("message", "service-unavailable");
        }

        @Test
        void headlineGoesToEveryNonNegativeResource() {
            // §8.5.2.1.1: headline to all non-negative resources.
            TestClient a = server.online("bob", "a", 0);
            TestClient b = server.online("bob", "b", 7);
            TestClient negative = server.online("bob", "n", -5);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='headline' to='bob@example.com'><body>news</body></message>");

            a.receives("<message type='headline'><body>news</body></message>");
            b.receives("<message type='headline'><body>news</body></message>");
            negative.receivesNothing();
            alice.receivesNothing();
        }

        @Test
        void headlineWithNoOneToTakeItIsSilentlyDropped() {
            // §8.5.2.1.1 / §8.5.2.2.1: headline MUST be silently ignored.
            TestClient negative = server.online("bob", "n", -1);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='headline' to='bob@example.com'><body>news</body></message>");
            negative.receivesNothing();
            alice.receivesNothing();

            negative.disconnect();
            alice.send("<message type='headline' to='bob@example.com'><body>news</body></message>");
            alice.receivesNothing();
        }

        @Test
        void groupchatToABareJidIsRefused() {
            // §8.5.2.1.1: groupchat: "MUST NOT deliver ... MUST return an error", service-unavailable.
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='groupchat' to='bob@example.com' id='g1'><body>hi</body></message>");

            bob.receivesNothing();
            alice.receivesError("message", "service-unavailable");
        }

        @Test
        void errorsAreNeverDeliveredNorBounced() {
            // §8.5.2.1.1: an error message to a bare JID is silently ignored.
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='error' to='bob@example.com'><error type='cancel'>"
                    + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");

            bob.receivesNothing();
            alice.receivesNothing();
        }

        @Test
        void aMessageWithoutToGoesToTheSendersOwnBareJid() {
            // RFC 6120 §10.3.1: no 'to' means the account of the sender.
            TestClient phone = server.online("alice", "phone");
            TestClient laptop = server.online("alice", "laptop");
            server.quiet();

            phone.send("<message><body>note to self</body></message>");

            phone.receives("<message to='alice@example.com' from='alice@example.com/phone'/>");
            laptop.receives("<message to='alice@example.com' from='alice@example.com/phone'/>");
        }
    }

    @Nested
    class ToFullJid {

        @ParameterizedTest(name = "type {0}")
        @ValueSource(strings = {"normal", "chat", "headline", "groupchat", "error"})
        void anExistingResourceGetsItWhateverItsPriority(String type) {
            // §8.5.3.1: "the server MUST deliver the stanza to the resource".
            TestClient low = server.online("bob", "low", -10);
            server.online("bob", "high", 10);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='" + type + "' to='bob@example.com/low'><body>x</body></message>");

            low.receives("<message type='" + type + "' to='bob@example.com/low' from='alice@example.com/phone'/>");
            alice.receivesNothing();
        }

        @Test
        void anExistingButUnavailableResourceGetsIt() {
            TestClient bob = server.bound("bob", "connecting");
            TestClient alice = server.online("alice", "phone");

            alice.send("<message to='bob@example.com/connecting'><body>x</body></message>");

            bob.receives("<message to='bob@example.com/connecting'/>");
        }

        @ParameterizedTest(name = "type {0}")
        @ValueSource(strings = {"normal", "chat", "headline"})
        void aMissingResourceIsTreatedAsTheBareJid(String type) {
            // §8.5.3.2.1: normal, chat, headline: as if to the bare JID (or service-unavailable).
            TestClient desk = server.online("bob", "desk", 1);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='" + type + "' to='bob@example.com/gone'><body>x</body></message>");

            desk.receives("<message type='" + type + "' to='bob@example.com/gone'/>");
            alice.receivesNothing();
        }

        @Test
        void aMissingResourceWithNoResourcesLeftBounces() {
            TestClient alice = server.online("alice", "phone");

            alice.send("<message type='chat' to='bob@example.com/gone' id='c1'><body>x</body></message>");

            alice.receivesError("message", "service-unavailable");
        }

        @Test
        void groupchatToAMissingResourceBounces() {
            // §8.5.3.2.1: groupchat: service-unavailable.
            TestClient desk = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='groupchat' to='bob@example.com/gone'><body>x</body></message>");

            desk.receivesNothing();
            alice.receivesError("message", "service-unavailable");
        }

        @Test
        void anErrorToAMissingResourceIsDropped() {
            // §8.5.3.2.1: error: silently ignore.
            TestClient desk = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<message type='error' to='bob@example.com/gone'><error type='cancel'>"
                    + "<gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");

            desk.receivesNothing();
            alice.receivesNothing();
        }
    }

    @Nested
    class NoSuchAccount {

        @ParameterizedTest(name = "type {0}")
        @ValueSource(strings = {"normal", "chat", "groupchat"})
        void bouncesServiceUnavailable(String type) {
            // §8.5.1: ignore or service-unavailable; we tell the sender.
            TestClient alice = server.online("alice", "phone");

            alice.send("<message type='" + type + "' to='nobody@example.com' id='n1'><body>x</body></message>");

            alice.receives("<message type='error' id='n1' from='nobody@example.com' to='alice@example.com/phone'>"
                    + "<error><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        }

        @Test
        void toAFullJidAlsoBounces() {
            TestClient alice = server.online("alice", "phone");

            alice.send("<message to='nobody@example.com/x'><body>x</body></message>");

            alice.receivesError("message", "service-unavailable");
        }

        @Test
        void headlinesAndErrorsAreDropped() {
            TestClient alice = server.online("alice", "phone");

            alice.send("<message type='headline' to='nobody@example.com'><body>x</body></message>");
            alice.send("<message type='error' to='nobody@example.com'><error type='cancel'>"
                    + "<gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");

            alice.receivesNothing();
        }

        @Test
        void aRemoteDomainIsUnreachableUntilFederationExists() {
            TestClient alice = server.online("alice", "phone");

            alice.send("<message to='romeo@montague.example'><body>x</body></message>");

            alice.receivesError("message", "remote-server-not-found");
        }
    }
}
