package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.router.spi.RemoteRouter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6120 §10.4: stanzas for other domains go to the {@link RemoteRouter}; its bounces come back. */
class RemoteRoutingTest {

    record Handed(Stanza stanza, RemoteRouter.Bounces bounces) {
    }

    final List<Handed> remote = new ArrayList<>();
    final TestServer server = new TestServer((stanza, bounces) -> remote.add(new Handed(stanza, bounces)), "alice");

    @Test
    void aSubscriptionRequestToARemoteContactLeavesFromTheBareJid() {
        TestClient alice = server.online("alice", "phone");
        alice.send("<presence to='romeo@remote.example/balcony' type='subscribe'/>");

        // RFC 6121 §3.1.2: stamped with the user's bare JID and addressed to the contact's bare JID
        assertEquals(1, remote.size());
        Stanza out = remote.get(0).stanza();
        assertEquals("alice@example.com", out.from().toString());
        assertEquals("romeo@remote.example", out.to().toString());
        assertEquals("subscribe", out.typeAttribute());
        assertEquals("romeo@remote.example", server.item("alice", "romeo@remote.example").jid().toString(),
                "the contact is on alice's roster, pending out");
    }

    @Test
    void aMessageLeavesWithTheFullJidAndABounceReachesTheSender() {
        TestClient alice = server.online("alice", "phone");
        alice.send("<message to='romeo@remote.example' id='m1' type='chat'><body>hi</body></message>");

        assertEquals(1, remote.size());
        Handed handed = remote.get(0);
        assertEquals("alice@example.com/phone", handed.stanza().from().toString());

        handed.bounces().bounce(handed.stanza(), StanzaError.Condition.REMOTE_SERVER_TIMEOUT);
        alice.receivesError("message", "remote-server-timeout");
    }

    @Test
    void aBounceOfAnErrorIsDropped() {
        TestClient alice = server.online("alice", "phone");
        alice.send("<message to='romeo@remote.example' type='error'><error type='cancel'>"
                + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        Handed handed = remote.get(0);

        // RFC 6120 §8.3.1: an error is never answered with another error
        handed.bounces().bounce(handed.stanza(), StanzaError.Condition.REMOTE_SERVER_NOT_FOUND);
        alice.receivesNothing();
        assertTrue(remote.size() == 1, "nothing more went out");
    }
}
