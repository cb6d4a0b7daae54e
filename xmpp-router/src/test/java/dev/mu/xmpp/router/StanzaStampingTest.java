package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.stanza.Message;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.stream.StreamError;
import org.junit.jupiter.api.Test;

/** RFC 6120 §7 resource binding and §8.1.2.1 'from' stamping, as the router enforces them. */
class StanzaStampingTest {

    private final TestServer server = new TestServer("alice", "bob");

    @Test
    void aSpoofedFromIsOverwrittenWithTheSendersFullJid() {
        // RFC 6120 §8.1.2.1: the server MUST stamp 'from' with the full JID of the sender.
        TestClient bob = server.online("bob", "desk");
        TestClient alice = server.online("alice", "phone");
        server.quiet();

        alice.send("<message to='bob@example.com/desk' from='mallory@evil.example/x'><body>hi</body></message>");

        bob.receives("<message from='alice@example.com/phone'/>");
    }

    @Test
    void aFromNamingAnotherLocalUserIsOverwrittenToo() {
        TestClient bob = server.online("bob", "desk");
        TestClient alice = server.online("alice", "phone");
        server.quiet();

        alice.send(Message.builder().from(FullJid.of("bob@example.com/desk")).to(FullJid.of("bob@example.com/desk")).body("x").build());

        bob.receives("<message from='alice@example.com/phone'/>");
    }

    @Test
    void aStanzaTheCoreRejectsIsAnsweredWithItsError() {
        // RFC 6120 §8.2.3: an iq without an id is bad-request.
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>");

        alice.receivesError("iq", "bad-request");
    }

    @Test
    void aMalformedAddressIsJidMalformed() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<message to='a@b@c'><body>x</body></message>");

        alice.receivesError("message", "jid-malformed");
    }

    @Test
    void aRequestedResourceIsBound() throws Exception {
        TestClient c = server.connect();

        FullJid jid = server.router().bind(c.session(), TestServer.bare("alice"), "balcony");

        assertEquals(FullJid.of("alice@example.com/balcony"), jid);
        assertEquals(jid, c.session().jid());
        assertEquals(1, server.router().sessionCount());
    }

    @Test
    void noRequestedResourceGetsAGeneratedOne() throws Exception {
        // RFC 6120 §7.6.1: the server MUST generate a resourcepart when the client asks for none.
        FullJid a = server.router().bind(server.connect().session(), TestServer.bare("alice"), null);
        FullJid b = server.router().bind(server.connect().session(), TestServer.bare("alice"), "");

        assertFalse(a.resource().isEmpty());
        assertNotEquals(a, b);
        assertEquals(2, server.router().sessionCount());
    }

    @Test
    void anInvalidResourceIsBadRequest() {
        TestClient c = server.connect();

        BindException e = assertThrows(BindException.class,
                () -> server.router().bind(c.session(), TestServer.bare("alice"), "a".repeat(2000)));

        assertEquals(StanzaError.Condition.BAD_REQUEST, e.error().condition());
        assertEquals(0, server.router().sessionCount());
    }

    @Test
    void bindingTwiceIsNotAllowed() {
        TestClient c = server.bound("alice", "one");

        BindException e = assertThrows(BindException.class,
                () -> server.router().bind(c.session(), TestServer.bare("alice"), "two"));

        assertEquals(StanzaError.Condition.NOT_ALLOWED, e.error().condition());
    }

    @Test
    void aResourceConflictClosesTheOlderSessionWithConflict() {
        // RFC 6120 §7.7.2.2: the server terminates the older session with a <conflict/> stream error.
        TestClient bob = server.online("bob", "desk");
        server.friends("alice", "bob");
        TestClient old = server.online("alice", "phone");
        server.quiet();

        TestClient fresh = server.bound("alice", "phone");

        assertTrue(old.transport().isClosed());
        assertEquals(StreamError.CONFLICT, old.transport().closeError());
        assertFalse(fresh.transport().isClosed());
        assertEquals(1, server.router().resources(TestServer.bare("alice")).size());
        assertSame(fresh.session(), server.router().session(FullJid.of("alice@example.com/phone")));
        // Contacts learn that the old session went away.
        bob.receives("<presence type='unavailable' from='alice@example.com/phone'/>");

        // The transport of the old session then reports its end; the new session is untouched.
        old.disconnect();
        assertEquals(2, server.router().sessionCount());
        assertSame(fresh.session(), server.router().session(FullJid.of("alice@example.com/phone")));
        bob.receivesNothing();
    }

    @Test
    void closingRemovesTheSession() {
        TestClient alice = server.online("alice", "phone");
        assertEquals(1, server.router().sessionCount());

        alice.disconnect();
        alice.disconnect();

        assertEquals(0, server.router().sessionCount());
    }

    @Test
    void aStanzaBeforeBindingIsNotRouted() {
        // RFC 6120 §7.1: a client MUST bind a resource before it sends stanzas; the server refuses them.
        TestClient bob = server.online("bob", "desk");
        TestClient c = server.connect();

        c.send("<message to='bob@example.com/desk'><body>x</body></message>");

        bob.receivesNothing();
        assertTrue(c.transport().isClosed());
        assertEquals(StreamError.NOT_AUTHORIZED, c.transport().closeError());
    }
}
