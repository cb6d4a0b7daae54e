package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.router.spi.RosterItem;
import dev.mu.xmpp.router.spi.Subscription;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * RFC 6121 §3: the subscription handshake between two local users, and the transitions of
 * Appendix A, each seen from both sides: roster pushes to the interested resources, what the
 * available resources receive, and the stored state.
 */
class SubscriptionTest {

    private final TestServer server = new TestServer("alice", "bob");

    private Subscription state(String user, String contact) {
        RosterItem item = server.item(user, contact);
        return item == null ? Subscription.NONE : item.subscription();
    }

    private boolean pendingOut(String user, String contact) {
        RosterItem item = server.item(user, contact);
        return item != null && item.askOut();
    }

    private boolean pendingIn(String user, String contact) {
        return server.roster(user).pendingIn().contains(TestServer.bare(contact));
    }

    @Test
    void theFullHandshakeBothWays() {
        TestClient alice = server.online("alice", "phone");
        TestClient bob = server.online("bob", "desk");
        server.quiet();

        // §3.1.2: the user's server adds the contact with ask='subscribe', pushes it, routes from the bare JID.
        alice.send("<presence type='subscribe' to='bob@example.com' id='s1'/>");
        alice.receivesRosterPush("<item jid='bob@example.com' subscription='none' ask='subscribe'/>");
        // §3.1.3: delivered to the contact's available resources; no roster item is added for it.
        bob.receives("<presence type='subscribe' from='alice@example.com' to='bob@example.com'/>");
        bob.receivesNothing();
        assertNull(server.item("bob", "alice"));

        // §3.1.5: the contact approves: roster push 'from', the approval routed, current presence sent.
        bob.send("<presence type='subscribed' to='alice@example.com'/>");
        bob.receivesRosterPush("<item jid='alice@example.com' subscription='from'/>");
        bob.receivesNothing();
        // §3.1.6: the user's server pushes 'to' and delivers the approval, then the contact's presence arrives.
        alice.receivesInAnyOrder(
                "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='to'/></query></iq>",
                "<presence type='subscribed' from='bob@example.com' to='alice@example.com'/>");
        alice.receives("<presence from='bob@example.com/desk' to='alice@example.com'/>");
        alice.receivesNothing();

        // And back: bob subscribes to alice; alice approves; both end at 'both'.
        bob.send("<presence type='subscribe' to='alice@example.com'/>");
        bob.receivesRosterPush("<item jid='alice@example.com' subscription='from' ask='subscribe'/>");
        alice.receives("<presence type='subscribe' from='bob@example.com'/>");
        alice.send("<presence type='subscribed' to='bob@example.com'/>");
        alice.receivesRosterPush("<item jid='bob@example.com' subscription='both'/>");
        bob.receivesInAnyOrder(
                "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='alice@example.com' subscription='both'/></query></iq>",
                "<presence type='subscribed' from='alice@example.com'/>");
        bob.receives("<presence from='alice@example.com/phone' to='bob@example.com'/>");

        assertEquals(Subscription.BOTH, state("alice", "bob"));
        assertEquals(Subscription.BOTH, state("bob", "alice"));
        assertFalse(pendingOut("alice", "bob") || pendingOut("bob", "alice"));
        assertFalse(pendingIn("alice", "bob") || pendingIn("bob", "alice"));
    }

    @Test
    void theOriginalRequestsIdAndStatusReachTheContact() {
        TestClient alice = server.online("alice", "phone");
        TestClient bob = server.online("bob", "desk");
        server.quiet();

        alice.send("<presence type='subscribe' to='bob@example.com/desk' id='sub1'><status>it is alice</status></presence>");

        // §3.1.2: routed to and from bare JIDs.
        bob.receives("<presence type='subscribe' id='sub1' from='alice@example.com' to='bob@example.com'><status>it is alice</status></presence>");
    }

    @Nested
    class InboundSubscribe {

        @Test
        void whileOfflineTheRequestIsKeptAndDeliveredAtEveryLoginUntilAnswered() {
            // §3.1.3: no available resource: the server MUST keep the request and deliver it when the
            // contact next becomes available.
            TestClient alice = server.online("alice", "phone");
            alice.send("<presence type='subscribe' to='bob@example.com'/>");
            assertTrue(pendingIn("bob", "alice"));

            TestClient bob = server.bound("bob", "desk");
            bob.requestRoster();
            bob.send("<presence/>");
            bob.receivesInAnyOrder("<presence from='bob@example.com/desk'/>",
                    "<presence type='subscribe' from='alice@example.com' to='bob@example.com'/>");
            bob.disconnect();

            TestClient again = server.bound("bob", "laptop");
            again.send("<presence/>");
            again.receivesInAnyOrder("<presence from='bob@example.com/laptop'/>",
                    "<presence type='subscribe' from='alice@example.com'/>");

            again.send("<presence type='unsubscribed' to='alice@example.com'/>");
            again.disconnect();
            TestClient third = server.bound("bob", "tablet");
            third.send("<presence/>");
            third.receives("<presence from='bob@example.com/tablet'/>").receivesNothing();
        }

        @Test
        void fromAnAlreadySubscribedContactIsApprovedByTheServer() {
            // §3.1.3: subscription from/both already: the contact's server MUST auto-reply subscribed.
            server.subscription("bob", "alice", Subscription.FROM);
            // alice lost her side (e.g. a restored backup): None with the request pending out.
            server.rosters().update(TestServer.bare("alice"), r -> r.without(TestServer.bare("bob")));
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            alice.send("<presence type='subscribe' to='bob@example.com'/>");

            bob.receivesNothing();
            alice.receivesRosterPush("<item jid='bob@example.com' subscription='none' ask='subscribe'/>");
            alice.receivesInAnyOrder(
                    "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='to'/></query></iq>",
                    "<presence type='subscribed' from='bob@example.com'/>");
            assertEquals(Subscription.TO, state("alice", "bob"));
        }

        @Test
        void aPreApprovedRequestIsApprovedWithoutAskingTheContact() {
            // §3.4: pre-approval.
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            bob.send("<presence type='subscribed' to='alice@example.com'/>");
            bob.receivesRosterPush("<item jid='alice@example.com' subscription='none' approved='true'/>");
            alice.receivesNothing();
            assertTrue(server.item("bob", "alice").approved());

            alice.send("<presence type='subscribe' to='bob@example.com'/>");

            bob.receivesRosterPush("<item jid='alice@example.com' subscription='from'/>");
            bob.receivesNothing();
            alice.receivesRosterPush("<item jid='bob@example.com' subscription='none' ask='subscribe'/>");
            alice.receivesInAnyOrder(
                    "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='to'/></query></iq>",
                    "<presence type='subscribed' from='bob@example.com'/>",
                    "<presence from='bob@example.com/desk'/>");
            assertFalse(server.item("bob", "alice").approved());
        }

        @Test
        void aPreApprovalCanBeCancelled() {
            // §3.4: the user cancels a pre-approval with unsubscribed.
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            bob.send("<presence type='subscribed' to='alice@example.com'/>");
            server.quiet();

            bob.send("<presence type='unsubscribed' to='alice@example.com'/>");
            bob.receivesRosterPush("<item jid='alice@example.com' subscription='none'/>");
            alice.receivesNothing();

            alice.send("<presence type='subscribe' to='bob@example.com'/>");
            bob.receives("<presence type='subscribe' from='alice@example.com'/>");
            assertEquals(Subscription.NONE, state("bob", "alice"));
        }

        @Test
        void fromANonexistentAccountIsAnsweredUnsubscribed() {
            // RFC 6121 §8.5.1: a subscribe to a nonexistent account: ignore or return unsubscribed.
            TestClient alice = server.online("alice", "phone");

            alice.send("<presence type='subscribe' to='nobody@example.com'/>");

            alice.receivesRosterPush("<item jid='nobody@example.com' subscription='none' ask='subscribe'/>");
            alice.receivesInAnyOrder(
                    "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='nobody@example.com' subscription='none'/></query></iq>",
                    "<presence type='unsubscribed' from='nobody@example.com'/>");
        }
    }

    @Nested
    class InboundSubscribed {

        @Test
        void withoutAPendingRequestIsIgnored() {
            // §3.1.6: not pending out: the user's server MUST ignore the approval.
            TestClient bob = server.online("bob", "desk");
            TestClient alice = server.online("alice", "phone");
            server.quiet();

            // bob's pre-approval reaches nobody; then a forged subscribed routed to alice is ignored.
            server.router().route(dev.mu.xmpp.core.stanza.Presence.builder().from(TestServer.bare("bob"))
                    .to(TestServer.bare("alice")).type(dev.mu.xmpp.core.stanza.PresenceType.SUBSCRIBED).build());

            alice.receivesNothing();
            bob.receivesNothing();
            assertEquals(Subscription.NONE, state("alice", "bob"));
        }

        @Test
        void fromPendingOutGoesToBoth() {
            // Appendix A: "From + Pending Out" + subscribed -> "Both".
            server.subscription("alice", "bob", Subscription.FROM);
            TestClient alice = server.online("alice", "phone");
            TestClient bob = server.online("bob", "desk");
            server.quiet();

            alice.send("<presence type='subscribe' to='bob@example.com'/>");
            alice.receivesRosterPush("<item jid='bob@example.com' subscription='from' ask='subscribe'/>");
            bob.send("<presence type='subscribed' to='alice@example.com'/>");

            assertEquals(Subscription.BOTH, state("alice", "bob"));
            assertEquals(Subscription.BOTH, state("bob", "alice"));
        }
    }

    @Nested
    class Unsubscribe {

        @Test
        void theUserCancelsItsSubscriptionAndTheContactGoesUnavailableForIt() {
            // §3.3.2: push 'none'/'from', route unsubscribe; §3.3.3: the contact's server pushes, delivers
            // the unsubscribe and sends unavailable presence from the contact's available resources.
            server.friends("alice", "bob");
            TestClient alice = server.online("alice", "phone");
            TestClient bob = server.online("bob", "desk");
            server.quiet();

            alice.send("<presence type='unsubscribe' to='bob@example.com'/>");

            alice.receivesRosterPush("<item jid='bob@example.com' subscription='from'/>");
            bob.receivesInAnyOrder(
                    "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='alice@example.com' subscription='to'/></query></iq>",
                    "<presence type='unsubscribe' from='alice@example.com'/>");
            alice.receives("<presence type='unavailable' from='bob@example.com/desk' to='alice@example.com'/>");
            alice.receivesNothing();
            assertEquals(Subscription.FROM, state("alice", "bob"));
            assertEquals(Subscription.TO, state("bob", "alice"));
        }

        @Test
        void aPendingRequestIsWithdrawn() {
            // Appendix A: "None + Pending Out" + outbound unsubscribe -> "None"; contact "None + Pending In" -> "None".
            TestClient alice = server.online("alice", "phone");
            alice.send("<presence type='subscribe' to='bob@example.com'/>");
            alice.drain();

            alice.send("<presence type='unsubscribe' to='bob@example.com'/>");

            alice.receivesRosterPush("<item jid='bob@example.com' subscription='none'/>");
            assertFalse(pendingIn("bob", "alice"));
            TestClient bob = server.bound("bob", "desk");
            bob.send("<presence/>");
            bob.receives("<presence from='bob@example.com/desk'/>").receivesNothing();
        }
    }

    @Nested
    class Unsubscribed {

        @Test
        void theContactCancelsTheUsersSubscription() {
            // §3.2.2: the contact's server pushes, routes unsubscribed and sends unavailable presence;
            // §3.2.3: the user's server pushes and delivers it.
            server.friends("alice", "bob");
            TestClient alice = server.online("alice", "phone");
            TestClient bob = server.online("bob", "desk");
            server.quiet();

            bob.send("<presence type='unsubscribed' to='alice@example.com'/>");

            bob.receivesRosterPush("<item jid='alice@example.com' subscription='to'/>");
            alice.receivesInAnyOrder(
                    "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='from'/></query></iq>",
                    "<presence type='unsubscribed' from='bob@example.com'/>",
                    "<presence type='unavailable' from='bob@example.com/desk' to='alice@example.com'/>");
            alice.receivesNothing();
        }

        @Test
        void aRequestIsDenied() {
            // Appendix A: "None + Pending Out" + inbound unsubscribed -> "None".
            TestClient alice = server.online("alice", "phone");
            TestClient bob = server.online("bob", "desk");
            alice.send("<presence type='subscribe' to='bob@example.com'/>");
            server.quiet();

            bob.send("<presence type='unsubscribed' to='alice@example.com'/>");

            bob.receivesNothing();
            alice.receivesInAnyOrder(
                    "<iq type='set'><query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='none'/></query></iq>",
                    "<presence type='unsubscribed' from='bob@example.com'/>");
            assertFalse(pendingIn("bob", "alice"));
            assertFalse(pendingOut("alice", "bob"));
        }

        @Test
        void withNothingToCancelNothingIsRouted() {
            TestClient alice = server.online("alice", "phone");
            TestClient bob = server.online("bob", "desk");
            server.quiet();

            bob.send("<presence type='unsubscribed' to='alice@example.com'/>");

            alice.receivesNothing();
        }
    }

    @Nested
    class RosterRemove {

        @Test
        void removingAContactCancelsBothSubscriptions() {
            // RFC 6121 §2.5.2: remove sends unsubscribe and unsubscribed as needed.
            server.friends("alice", "bob");
            TestClient alice = server.online("alice", "phone");
            TestClient bob = server.online("bob", "desk");
            server.quiet();

            alice.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='bob@example.com' subscription='remove'/></query>");

            alice.receivesRosterPush("<item jid='bob@example.com' subscription='remove'/>");
            alice.receives("<iq type='result'/>");
            assertNull(server.item("alice", "bob"));
            assertEquals(Subscription.NONE, state("bob", "alice"));
            java.util.List<dev.mu.xmpp.core.xml.XmlElement> toBob = bob.drain();
            assertTrue(toBob.stream().anyMatch(e -> Xml.matches(Xml.parse("<presence type='unsubscribe' from='alice@example.com'/>"), e)), toBob::toString);
            assertTrue(toBob.stream().anyMatch(e -> Xml.matches(Xml.parse("<presence type='unsubscribed' from='alice@example.com'/>"), e)), toBob::toString);
            assertTrue(toBob.stream().anyMatch(e -> Xml.matches(Xml.parse("<presence type='unavailable' from='alice@example.com/phone'/>"), e)), toBob::toString);
        }

        @Test
        void removingAPendingRequestDeniesIt() {
            TestClient alice = server.online("alice", "phone");
            TestClient bob = server.online("bob", "desk");
            bob.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='alice@example.com' name='Alice'/></query>");
            alice.send("<presence type='subscribe' to='bob@example.com'/>");
            server.quiet();

            bob.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='alice@example.com' subscription='remove'/></query>");

            assertFalse(pendingIn("bob", "alice"));
            assertFalse(pendingOut("alice", "bob"));
        }
    }
}
