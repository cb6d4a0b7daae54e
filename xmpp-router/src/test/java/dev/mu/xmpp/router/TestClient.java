package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection in a transcript test: what it sends goes through {@link Router#receive},
 * what the router writes to it waits in a queue for the test to assert, in order.
 *
 * <pre>{@code
 * alice.send("<presence type='subscribe' to='bob@example.com'/>");
 * alice.receivesRosterPush("<item jid='bob@example.com' subscription='none' ask='subscribe'/>");
 * bob.receives("<presence type='subscribe' from='alice@example.com'/>");
 * }</pre>
 */
public final class TestClient {

    private static final String ROSTER = "jabber:iq:roster";
    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private final TestServer server;
    private final ClientSession session;
    private final RecordingTransport transport;
    private int ids;

    TestClient(TestServer server, ClientSession session, RecordingTransport transport) {
        this.server = server;
        this.session = session;
        this.transport = transport;
    }

    public ClientSession session() {
        return session;
    }

    public RecordingTransport transport() {
        return transport;
    }

    /** The bound full JID. */
    public FullJid jid() {
        return session.jid();
    }

    /** The bound bare JID. */
    public EntityBareJid bare() {
        return (EntityBareJid) session.jid().asBare();
    }

    /** Sends a stanza written as XML, as the client's stream would deliver it. */
    public TestClient send(String xml) {
        server.router().receive(session, Xml.parse(xml));
        return this;
    }

    /** Sends a stanza built with the core builders. */
    public TestClient send(Stanza stanza) {
        server.router().receive(session, stanza.element());
        return this;
    }

    /** Sends an iq with a fresh id and returns that id. */
    public String sendIq(String type, String to, String payload) {
        String id = "q" + (++ids);
        send("<iq type='" + type + "' id='" + id + "'" + (to == null ? "" : " to='" + to + "'") + ">" + payload + "</iq>");
        return id;
    }

    /** Requests the roster, becoming an interested resource (RFC 6121 §2.1.6); returns the result's query. */
    public XmlElement requestRoster() {
        sendIq("get", null, "<query xmlns='jabber:iq:roster'/>");
        XmlElement result = next();
        assertEquals("result", result.attribute("type"), () -> "roster get answered with " + result);
        return result.firstChild(ROSTER, "query");
    }

    /** The connection closes: the transport reports the end of the stream. */
    public void disconnect() {
        server.router().closed(session);
    }

    /** The next stanza written to this client; fails if there is none. */
    public XmlElement next() {
        XmlElement e = transport.written.poll();
        if (e == null) {
            fail(name() + " received nothing");
        }
        return e;
    }

    /** The next stanza matches {@code expectedXml} (see {@link Xml#matches}). */
    public TestClient receives(String expectedXml) {
        XmlElement expected = Xml.parse(expectedXml);
        XmlElement actual = next();
        assertTrue(Xml.matches(expected, actual), () -> name() + " expected " + expected + "\n but received " + actual);
        return this;
    }

    /** The next stanzas match the expected ones, in any order. */
    public TestClient receivesInAnyOrder(String... expectedXml) {
        List<XmlElement> got = new ArrayList<>();
        for (int i = 0; i < expectedXml.length; i++) {
            got.add(next());
        }
        for (String x : expectedXml) {
            XmlElement expected = Xml.parse(x);
            XmlElement match = got.stream().filter(a -> Xml.matches(expected, a)).findFirst()
                    .orElseGet(() -> fail(name() + " expected " + expected + "\n among " + got));
            got.remove(match);
        }
        return this;
    }

    /** The next stanza is an error reply of this stanza kind with the given defined condition. */
    public XmlElement receivesError(String kind, String condition) {
        XmlElement actual = next();
        XmlElement expected = Xml.parse("<" + kind + " type='error'><error><" + condition + " xmlns='" + STANZAS + "'/></error></" + kind + ">");
        assertTrue(Xml.matches(expected, actual), () -> name() + " expected a " + condition + " error but received " + actual);
        return actual;
    }

    /** The next stanza is a roster push (RFC 6121 §2.1.6) whose single item matches {@code itemXml} exactly in its attributes. */
    public XmlElement receivesRosterPush(String itemXml) {
        XmlElement push = next();
        assertTrue(Xml.matches(Xml.parse("<iq type='set'><query xmlns='jabber:iq:roster' ver='*'/></iq>"), push),
                () -> name() + " expected a roster push but received " + push);
        assertEquals(null, push.attribute("from"), "RFC 6121 §2.1.6: a push from the server has no 'from' (or the bare JID)");
        List<XmlElement> items = push.firstChild(ROSTER, "query").elements();
        assertEquals(1, items.size(), () -> "RFC 6121 §2.1.6: a push carries exactly one item: " + push);
        XmlElement expected = Xml.parse("<iq type='set'><query xmlns='jabber:iq:roster'>" + itemXml + "</query></iq>")
                .firstChild(ROSTER, "query").elements().get(0);
        XmlElement item = items.get(0);
        assertEquals(attributes(expected), attributes(item), () -> name() + " roster push item " + item);
        assertTrue(Xml.matches(expected, item), () -> name() + " expected push of " + expected + " but got " + item);
        return push;
    }

    private static java.util.Map<String, String> attributes(XmlElement e) {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        e.attributes().forEach(a -> m.put(a.name(), a.value()));
        return m;
    }

    /** Nothing more was written to this client. */
    public TestClient receivesNothing() {
        XmlElement e = transport.written.poll();
        if (e != null) {
            fail(name() + " expected nothing but received " + e + (transport.written.isEmpty() ? "" : " and " + transport.written));
        }
        return this;
    }

    /** Everything written so far, emptying the queue. */
    public List<XmlElement> drain() {
        List<XmlElement> out = new ArrayList<>();
        XmlElement e;
        while ((e = transport.written.poll()) != null) {
            out.add(e);
        }
        return out;
    }

    private String name() {
        return session.jid() == null ? "unbound client" : session.jid().toString();
    }

    @Override
    public String toString() {
        return name();
    }
}
