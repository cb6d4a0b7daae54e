package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.DiscoIdentity;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.XmppModule;
import java.util.List;
import java.util.Set;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6120 §8.2.3 and §10.3.3, RFC 6121 §8.5: where iq requests go and who answers them. */
class IqRoutingTest {

    private static final QName ECHO = new QName("urn:test:echo", "echo");
    private static final QName BOOM = new QName("urn:test:boom", "boom");

    /** A module answering echo for the server and for accounts, and failing on boom. */
    private static final XmppModule TEST_MODULE = ctx -> {
        ctx.addFeature("urn:test:echo");
        ctx.onIq(IqType.GET, ECHO, (requester, iq) -> requester.send(iq.resultReply(
                XmlElement.builder("urn:test:echo", "echo").attribute("by", "server").build())));
        ctx.onIq(Addressing.BARE, IqType.GET, ECHO, (requester, iq) -> requester.send(iq.resultReply(
                XmlElement.builder("urn:test:echo", "echo").attribute("by", "account").build())));
        ctx.onIq(IqType.GET, BOOM, (requester, iq) -> {
            throw new IllegalStateException("module bug");
        });
    };

    private final TestServer server = new TestServer(List.of(TEST_MODULE), "alice", "bob");

    @Test
    void anIqToTheServerIsAnsweredByTheModuleThatHandlesItsPayload() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='e1' to='example.com'><echo xmlns='urn:test:echo'/></iq>");

        alice.receives("<iq type='result' id='e1' from='example.com' to='alice@example.com/phone'>"
                + "<echo xmlns='urn:test:echo' by='server'/></iq>");
    }

    @Test
    void anIqWithoutToIsHandledForTheAccount() {
        // RFC 6120 §10.3.3: no 'to' is processed by the server on behalf of the account.
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='e2'><echo xmlns='urn:test:echo'/></iq>");

        alice.receives("<iq type='result' id='e2' to='alice@example.com/phone'><echo xmlns='urn:test:echo' by='account'/></iq>");
    }

    @Test
    void anIqToABareJidIsAnsweredByTheServerOnTheUsersBehalf() {
        // RFC 6121 §8.5.2.1.3: the server MUST reply on behalf of the user and MUST NOT deliver it to a resource.
        TestClient bob = server.online("bob", "desk");
        TestClient alice = server.online("alice", "phone");
        server.quiet();

        alice.send("<iq type='get' id='e3' to='bob@example.com'><echo xmlns='urn:test:echo'/></iq>");

        alice.receives("<iq type='result' id='e3' from='bob@example.com'><echo xmlns='urn:test:echo' by='account'/></iq>");
        bob.receivesNothing();
    }

    @Test
    void anUnknownNamespaceToTheServerIsServiceUnavailable() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='u1' to='example.com'><query xmlns='urn:test:unknown'/></iq>");
        alice.receivesError("iq", "service-unavailable");

        alice.send("<iq type='set' id='u2'><query xmlns='urn:test:unknown'/></iq>");
        alice.receivesError("iq", "service-unavailable");

        alice.send("<iq type='get' id='u3' to='bob@example.com'><query xmlns='urn:test:unknown'/></iq>");
        alice.receivesError("iq", "service-unavailable");
    }

    @Test
    void theWrongTypeForAKnownPayloadIsServiceUnavailable() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='set' id='s1' to='example.com'><echo xmlns='urn:test:echo'/></iq>");

        alice.receivesError("iq", "service-unavailable");
    }

    @Test
    void aModuleThatThrowsIsInternalServerErrorNotAnEscapedException() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='b1' to='example.com'><boom xmlns='urn:test:boom'/></iq>");

        alice.receivesError("iq", "internal-server-error");
    }

    @Test
    void anIqToAConnectedFullJidIsDeliveredAndItsResultComesBack() {
        // RFC 6121 §8.5.3.1: "For an IQ stanza, the server MUST deliver the stanza to the resource."
        TestClient bob = server.bound("bob", "desk");
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='v1' to='bob@example.com/desk'><query xmlns='jabber:iq:version'/></iq>");
        bob.receives("<iq type='get' id='v1' from='alice@example.com/phone' to='bob@example.com/desk'>"
                + "<query xmlns='jabber:iq:version'/></iq>");

        bob.send("<iq type='result' id='v1' to='alice@example.com/phone'><query xmlns='jabber:iq:version'><name>x</name></query></iq>");
        alice.receives("<iq type='result' id='v1' from='bob@example.com/desk'/>");
    }

    @Test
    void anIqToAnUnknownResourceIsServiceUnavailable() {
        // RFC 6121 §8.5.3.2.3: "the server MUST return a <service-unavailable/> stanza error".
        server.online("bob", "desk");
        TestClient alice = server.online("alice", "phone");
        server.quiet();

        alice.send("<iq type='get' id='v2' to='bob@example.com/gone'><query xmlns='jabber:iq:version'/></iq>");

        alice.receives("<iq type='error' id='v2' from='bob@example.com/gone'><error type='cancel'>"
                + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
    }

    @Test
    void anIqToANonexistentAccountIsServiceUnavailable() {
        // RFC 6121 §8.5.1: "For an IQ stanza, the server MUST return a <service-unavailable/> stanza error".
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='v3' to='nobody@example.com'><echo xmlns='urn:test:echo'/></iq>");
        alice.receivesError("iq", "service-unavailable");

        alice.send("<iq type='get' id='v4' to='nobody@example.com/x'><echo xmlns='urn:test:echo'/></iq>");
        alice.receivesError("iq", "service-unavailable");
    }

    @Test
    void anIqToAServerResourceIsServiceUnavailable() {
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='get' id='v5' to='example.com/admin'><echo xmlns='urn:test:echo'/></iq>");

        alice.receivesError("iq", "service-unavailable");
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(strings = {"example.com", "bob@example.com", "bob@example.com/gone", "nobody@example.com",
            "nobody@example.com/x", "example.com/admin", "romeo@montague.example"})
    void aResultIsNeverAnswered(String to) {
        // RFC 6120 §8.2.3: an entity that receives a result or error MUST NOT respond with a further result or error.
        TestClient alice = server.online("alice", "phone");

        alice.send("<iq type='result' id='r1' to='" + to + "'/>");
        alice.send("<iq type='error' id='r2' to='" + to + "'><error type='cancel'>"
                + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");

        alice.receivesNothing();
    }

    @Test
    void aModuleReachesAnyoneThroughRoute() {
        TestClient bob = server.online("bob", "desk");
        server.router().route(Iq.builder(IqType.GET).id("srv1").from(server.router().domain()).to(bob.jid())
                .payload(XmlElement.empty("urn:xmpp:ping", "ping")).build());

        bob.receives("<iq type='get' id='srv1' from='example.com'><ping xmlns='urn:xmpp:ping'/></iq>");
        bob.send("<iq type='result' id='srv1' to='example.com'/>");
        bob.receivesNothing();
    }

    @Test
    void featuresStayTheSameInstanceUntilAModuleAddsOne() {
        ModuleContext[] context = new ModuleContext[1];
        TestServer late = new TestServer(List.of(TEST_MODULE, ctx -> context[0] = ctx), "alice");
        Set<String> before = late.router().features();
        List<DiscoIdentity> identities = late.router().identities();
        assertSame(before, late.router().features(), "unchanged features: the same snapshot");
        assertSame(identities, late.router().identities(), "unchanged identities: the same snapshot");

        context[0].addFeature("urn:test:late");
        context[0].addIdentity(new DiscoIdentity("automation", "command-node", null));

        assertTrue(late.router().features().contains("urn:test:late"));
        assertFalse(before.contains("urn:test:late"), "a snapshot handed out does not change");
        assertEquals(identities.size() + 1, late.router().identities().size());
    }

    @Test
    void featuresListEveryModulesFeature() {
        assertTrue(server.router().features().contains("urn:test:echo"));
    }
}
