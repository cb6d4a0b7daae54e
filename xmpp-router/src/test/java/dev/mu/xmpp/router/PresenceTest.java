package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.router.spi.Subscription;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** RFC 6121 §4: presence broadcast, probes, directed presence and going offline. */
class PresenceTest {

    private final TestServer server = new TestServer("alice", "bob", "carol", "dave");

    @Nested
    class InitialPresence {

        @Test
        void probesContactsTheUserIsSubscribedToAndLearnsTheirPresence() {
            // §4.2.2 and §4.3.1: the server sends probes to contacts with subscription to/both.
            server.subscription("alice", "bob", Subscription.TO);
            server.subscription("alice", "carol", Subscription.BOTH);
            server.subscription("alice", "dave", Subscription.FROM);
            TestClient bob = server.online("bob", "desk");
            server.bound("carol", "idle");
            TestClient dave = server.online("dave", "home");
            TestClient alice = server.bound("alice", "phone");

            alice.send("<presence><show>chat</show></presence>");

            // §4.3.2: an available contact answers from each available resource...
            // ...and one with no available resource answers unavailable from its bare JID.
            alice.receivesInAnyOrder(
                    "<presence from='alice@example.com/phone' to='alice@example.com/phone'><show>chat</show></presence>",
                    "<presence from='bob@example.com/desk' to='alice@example.com/phone'/>",
                    "<presence type='unavailable' from='carol@example.com' to='alice@example.com/phone'/>");
            alice.receivesNothing();
            // §4.2.2: the initial presence is broadcast to contacts with subscription from/both only.
            bob.receivesNothing();
            dave.receives("<presence from='alice@example.com/phone' to='dave@example.com'><show>chat</show></presence>");
        }

        @Test
        void goesToTheUsersOtherResourcesAndTheirsComeBack() {
            // §4.2.2: broadcast to all of the user's available resources, including the one that sent it.
            TestClient laptop = server.online("alice", "laptop", 3);
            TestClient phone = server.bound("alice", "phone");

            phone.send("<presence><priority>1</priority></presence>");

            laptop.receives("<presence from='alice@example.com/phone' to='alice@example.com/laptop'><priority>1</priority></presence>");
            phone.receivesInAnyOrder(
                    "<presence from='alice@example.com/phone' to='alice@example.com/phone'/>",
                    "<presence from='alice@example.com/laptop' to='alice@example.com/phone'><priority>3</priority></presence>");
            phone.receivesNothing();
        }

        @Test
        void aBoundButUnavailableResourceGetsNoPresence() {
            TestClient silent = server.bound("alice", "silent");
            server.online("alice", "phone");

            silent.receivesNothing();
        }

        @Test
        void noProbesForUnsubscribedContacts() {
            server.subscription("alice", "bob", Subscription.NONE);
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.bound("alice", "phone");

            alice.send("<presence/>");

            alice.receives("<presence from='alice@example.com/phone'/>").receivesNothing();
            bob.receivesNothing();
        }
    }

    @Nested
    class Updates {

        @Test
        void anUpdateGoesToSubscribersWithoutNewProbes() {
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence><show>away</show><status>lunch</status></presence>");

            bob.receives("<presence from='alice@example.com/phone' to='bob@example.com'><show>away</show><status>lunch</status></presence>");
            bob.receivesNothing();
            alice.receives("<presence from='alice@example.com/phone'><show>away</show></presence>").receivesNothing();
        }

        @Test
        void anErrorPresenceWithoutToIsNotBroadcast() {
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence type='error'><error type='cancel'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");

            bob.receivesNothing();
            assertTrue(alice.session().isAvailable(), "an error presence does not make the user unavailable");
        }
    }

    @Nested
    class GoingOffline {

        @Test
        void unavailablePresenceGoesToSubscribersAndOwnResources() {
            // §4.5.2: the server MUST broadcast unavailable presence to subscribers and the user's resources.
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient laptop = server.online("alice", "laptop");
            TestClient phone = server.online("alice", "phone");
            server.quiet();

            phone.send("<presence type='unavailable'><status>bye</status></presence>");

            bob.receives("<presence type='unavailable' from='alice@example.com/phone' to='bob@example.com'><status>bye</status></presence>");
            laptop.receives("<presence type='unavailable' from='alice@example.com/phone'/>");
            assertFalse(phone.session().isAvailable());
        }

        @Test
        void aClosedStreamGoesUnavailableForTheUser() {
            // §4.5.2 (the server generates the unavailable presence when the stream ends).
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient laptop = server.online("alice", "laptop");
            TestClient phone = server.online("alice", "phone");
            server.quiet();

            phone.disconnect();

            bob.receives("<presence type='unavailable' from='alice@example.com/phone' to='bob@example.com'/>");
            laptop.receives("<presence type='unavailable' from='alice@example.com/phone' to='alice@example.com/laptop'/>");
            bob.receivesNothing();
            laptop.receivesNothing();
        }

        @Test
        void aSessionThatWasNeverAvailableLeavesQuietly() {
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.bound("alice", "phone");
            server.quiet();

            alice.disconnect();

            bob.receivesNothing();
        }

        @Test
        void aSessionThatAlreadyWentUnavailableSendsNothingMore() {
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            alice.send("<presence type='unavailable'/>");
            server.quiet();

            alice.disconnect();

            bob.receivesNothing();
        }
    }

    @Nested
    class Directed {

        @Test
        void directedPresenceReachesANonContactAndUnavailableFollowsOnDisconnect() {
            // §4.6: directed presence; the server MUST send unavailable presence to those who got it.
            TestClient carol = server.online("carol", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence to='carol@example.com/desk'><show>dnd</show></presence>");
            carol.receives("<presence from='alice@example.com/phone' to='carol@example.com/desk'><show>dnd</show></presence>");

            alice.disconnect();
            carol.receives("<presence type='unavailable' from='alice@example.com/phone' to='carol@example.com/desk'/>");
        }

        @Test
        void anExplicitDirectedUnavailableEndsIt() {
            TestClient carol = server.online("carol", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence to='carol@example.com'/>");
            alice.send("<presence type='unavailable' to='carol@example.com'/>");
            carol.receives("<presence from='alice@example.com/phone'/>");
            carol.receives("<presence type='unavailable' from='alice@example.com/phone'/>");

            alice.send("<presence type='unavailable'/>");
            carol.receivesNothing();
        }

        @Test
        void unavailableBroadcastAlsoGoesToDirectedPresenceRecipients() {
            TestClient carol = server.online("carol", "desk");
            TestClient alice = server.online("alice", "phone");
            alice.send("<presence to='carol@example.com'/>");
            server.quiet();

            alice.send("<presence type='unavailable'/>");

            carol.receives("<presence type='unavailable' from='alice@example.com/phone' to='carol@example.com'/>");
            alice.disconnect();
            carol.receivesNothing();
        }

        @Test
        void directedPresenceBeforeInitialPresenceIsFollowedByUnavailable() {
            // §4.6: the entity that got directed available presence learns when the sender goes away,
            // whether or not the sender had broadcast presence.
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient carol = server.online("carol", "desk");
            TestClient alice = server.bound("alice", "phone");
            server.quiet();

            alice.send("<presence to='carol@example.com/desk'/>");
            carol.receives("<presence from='alice@example.com/phone'/>");

            alice.disconnect();
            carol.receives("<presence type='unavailable' from='alice@example.com/phone'/>");
            carol.receivesNothing();
            bob.receivesNothing();
        }

        @Test
        void directedPresenceToASubscriberIsNotDoubledOnDisconnect() {
            server.friends("alice", "bob");
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence to='bob@example.com'><show>xa</show></presence>");
            bob.receives("<presence from='alice@example.com/phone'><show>xa</show></presence>");
            alice.disconnect();

            bob.receives("<presence type='unavailable' from='alice@example.com/phone'/>");
            bob.receivesNothing();
        }

        @Test
        void presenceToAMissingResourceIsDropped() {
            // RFC 6121 §8.5.3.2.2: available or unavailable presence to a missing resource is ignored.
            TestClient carol = server.online("carol", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence to='carol@example.com/gone'/>");

            carol.receivesNothing();
            alice.receivesNothing();
        }

        @Test
        void presenceToANonexistentAccountIsDropped() {
            // RFC 6121 §8.5.1: presence with no type or of type unavailable MUST be silently ignored.
            TestClient alice = server.online("alice", "phone");

            alice.send("<presence to='nobody@example.com'/>");
            alice.send("<presence type='unavailable' to='nobody@example.com'/>");

            alice.receivesNothing();
        }

        @Test
        void presenceToABareJidGoesToEveryAvailableResource() {
            // RFC 6121 §8.5.2.1.2: "the server MUST deliver it to all available resources".
            TestClient one = server.online("carol", "one", -1);
            TestClient two = server.online("carol", "two", 5);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence to='carol@example.com'/>");

            one.receives("<presence from='alice@example.com/phone' to='carol@example.com'/>");
            two.receives("<presence from='alice@example.com/phone' to='carol@example.com'/>");
        }
    }

    @Nested
    class Probes {

        @Test
        void aProbeFromASubscriberIsAnsweredWithEachResourcesPresence() {
            // §4.3.2: "MUST reply ... from each of the contact's available resources".
            server.subscription("alice", "bob", Subscription.TO);
            server.online("bob", "one", 1);
            server.online("bob", "two", 2);
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence type='probe' to='bob@example.com'/>");

            alice.receivesInAnyOrder(
                    "<presence from='bob@example.com/one' to='alice@example.com/phone'><priority>1</priority></presence>",
                    "<presence from='bob@example.com/two' to='alice@example.com/phone'><priority>2</priority></presence>");
            alice.receivesNothing();
        }

        @Test
        void aProbeFromSomeoneNotSubscribedIsRefusedWithoutRevealingPresence() {
            // §4.3.2: the contact's server MUST NOT reveal presence to an entity not subscribed; it
            // answers with unsubscribed.
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence type='probe' to='bob@example.com'/>");

            List<?> got = alice.drain();
            assertTrue(got.stream().noneMatch(e -> e.toString().contains("bob@example.com/desk")), () -> "revealed: " + got);
            bob.receivesNothing();
        }

        @Test
        void aProbeFromSomeoneNotSubscribedCorrectsAStaleToSubscription() {
            // alice believes she has 'to' but bob's roster does not grant it.
            server.rosters().update(TestServer.bare("alice"), r -> r.with(
                    dev.mu.xmpp.router.spi.RosterItem.of(TestServer.bare("bob")).withSubscription(Subscription.TO)));
            server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");

            assertEquals(Subscription.NONE, server.item("alice", "bob").subscription());
        }

        @Test
        void aProbeToANonexistentAccountIsIgnored() {
            TestClient alice = server.online("alice", "phone");

            alice.send("<presence type='probe' to='nobody@example.com'/>");

            alice.receivesNothing();
        }
    }
}
