package dev.mu.xmpp.core.stanza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.stanza.StanzaError.Condition;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.List;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

class StanzaTest {

    private static final String C = XmlElement.CONTENT_NS;
    private static final FullJid JULIET = FullJid.of("juliet@example.com/balcony");
    private static final EntityBareJid ROMEO = EntityBareJid.of("romeo@example.net");
    private static final QName PING = new QName("urn:xmpp:ping", "ping");

    private static XmlElement text(String name, String text) {
        return XmlElement.builder(C, name).text(text).build();
    }

    @Test
    void wrapPicksTheSubclass() {
        assertInstanceOf(Message.class, Stanza.wrap(XmlElement.empty(C, "message")));
        assertInstanceOf(Presence.class, Stanza.wrap(XmlElement.empty(C, "presence")));
        assertInstanceOf(Iq.class, Stanza.wrap(XmlElement.builder(C, "iq").attribute("id", "1")
                .attribute("type", "result").build()));
        assertTrue(Stanza.isStanza(XmlElement.empty(C, "iq")));
        assertFalse(Stanza.isStanza(XmlElement.empty("urn:other", "iq")));
        assertFalse(Stanza.isStanza(XmlElement.empty(C, "body")));
        StanzaFormatException e = assertThrows(StanzaFormatException.class,
                () -> Stanza.wrap(XmlElement.empty("http://etherx.jabber.org/streams", "features")));
        assertEquals(Condition.BAD_REQUEST, e.error().condition());
        assertThrows(StanzaFormatException.class, () -> Message.wrap(XmlElement.empty(C, "presence")));
    }

    @Test
    void malformedAddressIsJidMalformed() {
        for (String attr : new String[] {"to", "from"}) {
            XmlElement m = XmlElement.builder(C, "message").attribute(attr, "♚@example.com").build();
            StanzaFormatException e = assertThrows(StanzaFormatException.class, () -> Stanza.wrap(m));
            assertEquals(Condition.JID_MALFORMED, e.error().condition());
            assertEquals(StanzaError.Type.MODIFY, e.error().type());
        }
    }

    @Test
    void commonAccessors() {
        XmlElement m = XmlElement.builder(C, "message")
                .attribute("to", "Juliet@Example.com/balcony").attribute("from", "romeo@example.net")
                .attribute("id", "m1").attribute(XmlElement.XML_NS, "lang", "en").attribute("type", "chat")
                .child(text("body", "Wherefore art thou?"))
                .child(XmlElement.empty("urn:xmpp:receipts", "request"))
                .child(XmlElement.builder("urn:unknown", "thing").attribute("a", "b").text("kept").build())
                .build();
        Message msg = Message.wrap(m);
        assertSame(m, msg.element());
        assertEquals(JULIET, msg.to());
        assertEquals(ROMEO, msg.from());
        assertEquals("m1", msg.id());
        assertEquals("en", msg.lang());
        assertEquals("chat", msg.typeAttribute());
        assertEquals(MessageType.CHAT, msg.type());
        assertFalse(msg.isError());
        assertEquals(List.of(m.elements().get(1), m.elements().get(2)), msg.payloads());
        assertEquals(m.elements().get(1), msg.payload(new QName("urn:xmpp:receipts", "request")));
        assertTrue(msg.findPayload(new QName("urn:xmpp:receipts", "request")).isPresent());
        assertNull(msg.payload(PING));
        assertTrue(msg.findPayload(PING).isEmpty());
        assertNull(Stanza.wrap(XmlElement.empty(C, "message")).to());
    }

    @Test
    void messageTypes() {
        assertEquals(MessageType.NORMAL, Message.wrap(XmlElement.empty(C, "message")).type());
        for (MessageType t : MessageType.values()) {
            XmlElement e = XmlElement.builder(C, "message").attribute("type", t.attributeValue()).build();
            assertEquals(t, Message.wrap(e).type());
        }
        // RFC 6121 §5.2.2: a type the application does not understand means normal.
        XmlElement odd = XmlElement.builder(C, "message").attribute("type", "fancy").build();
        assertEquals(MessageType.NORMAL, Message.wrap(odd).type());
    }

    @Test
    void messageBuilderAndLocalizedBody() {
        Message m = Message.builder().to(JULIET).from(ROMEO).type(MessageType.CHAT).id("x")
                .body("first").body("hi").subject("s").thread("t1").lang("en")
                .payload(XmlElement.empty("urn:xmpp:chat-markers:0", "markable")).build();
        assertEquals("hi", m.body());
        assertEquals(1, m.element().elements().stream().filter(e -> e.name().equals("body")).count());
        assertEquals("s", m.subject());
        assertEquals("t1", m.thread());
        assertEquals(JULIET, m.to());
        assertEquals(MessageType.CHAT, m.type());
        assertEquals(1, m.payloads().size());
        assertNull(Message.builder().build().body());
        assertNull(Message.builder().type(MessageType.NORMAL).build().typeAttribute());

        XmlElement multi = XmlElement.builder(C, "message").attribute(XmlElement.XML_NS, "lang", "de")
                .child(XmlElement.builder(C, "body").attribute(XmlElement.XML_NS, "lang", "en").text("Hello").build())
                .child(XmlElement.builder(C, "body").attribute(XmlElement.XML_NS, "lang", "de").text("Hallo").build())
                .build();
        assertEquals("Hallo", Message.wrap(multi).body());
        XmlElement foreign = XmlElement.builder(C, "message")
                .child(XmlElement.builder(C, "body").attribute(XmlElement.XML_NS, "lang", "fr").text("Salut").build())
                .build();
        assertEquals("Salut", Message.wrap(foreign).body());
    }

    @Test
    void presenceDefaultsAndBuilder() {
        Presence p = Presence.wrap(XmlElement.empty(C, "presence"));
        assertEquals(PresenceType.AVAILABLE, p.type());
        assertEquals(0, p.priority());
        assertNull(p.show());
        assertNull(p.status());

        Presence built = Presence.builder().show(Presence.Show.DND).status("busy").priority(-128).build();
        assertEquals(Presence.Show.DND, built.show());
        assertEquals("busy", built.status());
        assertEquals(-128, built.priority());
        assertNull(built.typeAttribute());
        assertEquals(127, Presence.builder().priority(127).build().priority());
        assertThrows(IllegalArgumentException.class, () -> Presence.builder().priority(128));

        for (PresenceType t : PresenceType.values()) {
            assertEquals(t, Presence.builder().type(t).build().type());
        }
        assertEquals("subscribe", Presence.builder().type(PresenceType.SUBSCRIBE).build().typeAttribute());
    }

    @Test
    void invalidPresenceIsBadRequest() {
        List<XmlElement> bad = List.of(
                XmlElement.builder(C, "presence").attribute("type", "available").build(),
                XmlElement.builder(C, "presence").attribute("type", "invisible").build(),
                XmlElement.builder(C, "presence").child(text("priority", "128")).build(),
                XmlElement.builder(C, "presence").child(text("priority", "-129")).build(),
                XmlElement.builder(C, "presence").child(text("priority", "high")).build(),
                XmlElement.builder(C, "presence").child(text("show", "online")).build());
        for (XmlElement e : bad) {
            StanzaFormatException ex = assertThrows(StanzaFormatException.class, () -> Stanza.wrap(e), e.toString());
            assertEquals(Condition.BAD_REQUEST, ex.error().condition());
        }
        assertEquals(5, Presence.wrap(XmlElement.builder(C, "presence").child(text("priority", " 5 ")).build()).priority());
        assertEquals(Presence.Show.XA, Presence.wrap(XmlElement.builder(C, "presence").child(text("show", "xa")).build()).show());
    }

    @Test
    void iqValidation() {
        XmlElement ping = XmlElement.empty(PING.getNamespaceURI(), PING.getLocalPart());
        List<XmlElement> bad = List.of(
                XmlElement.builder(C, "iq").attribute("type", "get").child(ping).build(),
                XmlElement.builder(C, "iq").attribute("id", "1").child(ping).build(),
                XmlElement.builder(C, "iq").attribute("id", "1").attribute("type", "fetch").child(ping).build(),
                XmlElement.builder(C, "iq").attribute("id", "1").attribute("type", "get").build(),
                XmlElement.builder(C, "iq").attribute("id", "1").attribute("type", "set").child(ping).child(ping).build(),
                XmlElement.builder(C, "iq").attribute("id", "1").attribute("type", "result").child(ping).child(ping).build());
        for (XmlElement e : bad) {
            StanzaFormatException ex = assertThrows(StanzaFormatException.class, () -> Stanza.wrap(e), e.toString());
            assertEquals(Condition.BAD_REQUEST, ex.error().condition());
        }
        Iq get = Iq.wrap(XmlElement.builder(C, "iq").attribute("id", "1").attribute("type", "get")
                .text("\n  ").child(ping).text("\n").build());
        assertEquals(ping, get.payload());
        assertTrue(get.isRequest());
        assertNull(Iq.builder(IqType.RESULT).id("2").build().payload());
        assertThrows(StanzaFormatException.class, () -> Iq.builder(IqType.GET).payload(ping).build());
    }

    @Test
    void iqReplies() {
        XmlElement ping = XmlElement.empty(PING.getNamespaceURI(), PING.getLocalPart());
        Iq get = Iq.builder(IqType.GET).id("p1").from(JULIET).to(Jid.of("example.com")).payload(ping).build();
        assertEquals(IqType.GET, get.type());

        Iq result = get.resultReply();
        assertEquals(IqType.RESULT, result.type());
        assertEquals("p1", result.id());
        assertEquals(JULIET, result.to());
        assertEquals(Jid.of("example.com"), result.from());
        assertTrue(result.element().children().isEmpty());
        assertFalse(result.isRequest());

        XmlElement answer = XmlElement.empty("jabber:iq:version", "query");
        assertEquals(answer, get.resultReply(answer).payload());

        Iq error = get.errorReply(StanzaError.SERVICE_UNAVAILABLE);
        assertEquals(IqType.ERROR, error.type());
        assertTrue(error.isError());
        assertEquals("p1", error.id());
        assertEquals(JULIET, error.to());
        assertEquals(Jid.of("example.com"), error.from());
        assertEquals(ping, error.payload());
        assertEquals(StanzaError.SERVICE_UNAVAILABLE, error.error());

        // RFC 6120 §8.2.3: responses are never answered.
        assertThrows(IllegalStateException.class, result::resultReply);
        assertThrows(IllegalStateException.class, () -> result.errorReply(StanzaError.BAD_REQUEST));
        assertThrows(IllegalStateException.class, () -> error.errorReply(StanzaError.BAD_REQUEST));
    }

    @Test
    void errorReplyKeepsChildrenAndSwapsAddresses() {
        Message m = Message.builder().from(ROMEO).to(JULIET).id("m7").type(MessageType.CHAT).lang("en")
                .body("hi").payload(XmlElement.empty("urn:x", "y")).build();
        StanzaError err = StanzaError.builder(Condition.RECIPIENT_UNAVAILABLE).text("not here").by(JULIET.asBare()).build();
        Message reply = m.errorReply(err);
        assertEquals(MessageType.ERROR, reply.type());
        assertEquals(ROMEO, reply.to());
        assertEquals(JULIET, reply.from());
        assertEquals("m7", reply.id());
        assertEquals("en", reply.lang());
        assertEquals("hi", reply.body());
        assertEquals(m.payloads(), reply.payloads());
        assertEquals(err, reply.error());
        assertNull(m.error());
        assertThrows(IllegalStateException.class, () -> reply.errorReply(StanzaError.BAD_REQUEST));

        Presence sub = Presence.builder().type(PresenceType.SUBSCRIBE).to(ROMEO).build();
        Presence subError = sub.errorReply(StanzaError.FORBIDDEN);
        assertEquals(PresenceType.ERROR, subError.type());
        assertNull(subError.to());
        assertEquals(ROMEO, subError.from());
    }

    @Test
    void withFromCopiesOnlyTheTopElement() {
        Message m = Message.builder().to(ROMEO).id("a").body("hello").payload(XmlElement.empty("urn:x", "y")).build();
        Message stamped = m.withFrom(JULIET);
        assertEquals(JULIET, stamped.from());
        assertEquals(ROMEO, stamped.to());
        assertEquals(JULIET.toString(), stamped.element().attribute("from"));
        assertSame(m.element().children(), stamped.element().children());
        assertNull(m.from());

        Message moved = stamped.withTo(Jid.of("other@example.org"));
        assertEquals(Jid.of("other@example.org"), moved.to());
        assertEquals(JULIET, moved.from());
        assertEquals(1, moved.element().attributes().stream().filter(a -> a.name().equals("to")).count());

        Message cleared = moved.withFromAndTo(null, null);
        assertNull(cleared.to());
        assertNull(cleared.from());
        assertNull(cleared.element().attribute("to"));
        assertEquals("a", cleared.id());

        Iq iq = Iq.builder(IqType.GET).id("i").payload(XmlElement.empty("urn:xmpp:ping", "ping")).build();
        Iq stampedIq = iq.withFromAndTo(JULIET, ROMEO);
        assertEquals(JULIET, stampedIq.from());
        assertEquals(iq.payload(), stampedIq.payload());
        Presence p = Presence.builder().priority(3).build().withFrom(JULIET);
        assertEquals(3, p.priority());
        assertEquals(JULIET, Stanza.wrap(p.element()).from());
    }

    @Test
    void equalityFollowsTheElement() {
        Message a = Message.builder().id("1").body("x").build();
        Message b = Message.wrap(a.element());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.element().toString(), a.toString());
    }
}
