package dev.mu.xmpp.core.stanza;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.stanza.StanzaError.Condition;
import dev.mu.xmpp.core.stanza.StanzaError.Type;
import dev.mu.xmpp.core.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StanzaErrorTest {

    @ParameterizedTest
    @EnumSource(Condition.class)
    void plainRoundTrip(Condition condition) {
        StanzaError error = StanzaError.of(condition);
        XmlElement element = error.toElement();
        assertEquals(XmlElement.CONTENT_NS, element.namespace());
        assertEquals("error", element.name());
        assertEquals(condition.defaultType().attributeValue(), element.attribute("type"));
        assertNotNull(element.firstChild(StanzaError.NAMESPACE, condition.elementName()));
        assertEquals(error, StanzaError.fromElement(element));
        assertSame(condition, Condition.fromElementName(condition.elementName()));
    }

    @ParameterizedTest
    @EnumSource(Condition.class)
    void fullRoundTrip(Condition condition) {
        StanzaError error = StanzaError.builder(condition)
                .type(Type.CONTINUE)
                .text("Something went wrong", "en")
                .by(Jid.of("example.com"))
                .conditionText(condition == Condition.REDIRECT || condition == Condition.GONE ? "xmpp:x@example.net" : null)
                .applicationCondition(XmlElement.empty("urn:example:app", "too-many"))
                .build();
        StanzaError back = StanzaError.fromElement(error.toElement());
        assertEquals(error, back);
        assertEquals(error.hashCode(), back.hashCode());
        assertEquals(error, error.toBuilder().build());
    }

    @Test
    void conditionNamesAndDefaults() {
        assertEquals(22, Condition.values().length);
        assertEquals("item-not-found", Condition.ITEM_NOT_FOUND.elementName());
        assertEquals("remote-server-not-found", Condition.REMOTE_SERVER_NOT_FOUND.elementName());
        assertEquals(Type.MODIFY, StanzaError.BAD_REQUEST.type());
        assertEquals(Type.AUTH, StanzaError.FORBIDDEN.type());
        assertEquals(Type.WAIT, StanzaError.RESOURCE_CONSTRAINT.type());
        assertEquals(Type.CANCEL, StanzaError.SERVICE_UNAVAILABLE.type());
        assertSame(StanzaError.ITEM_NOT_FOUND, StanzaError.of(Condition.ITEM_NOT_FOUND));
        assertEquals("cancel", Type.CANCEL.attributeValue());
    }

    @Test
    void elementShapeMatchesRfc6120() {
        XmlElement e = StanzaError.builder(Condition.ITEM_NOT_FOUND).text("gone fishing").build().toElement();
        assertEquals("<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>gone fishing</text></error>", e.toString());
    }

    @Test
    void fromElementIsLenient() {
        XmlElement weird = XmlElement.builder(XmlElement.CONTENT_NS, "error").attribute("type", "bogus")
                .child(XmlElement.empty(StanzaError.NAMESPACE, "no-such-condition")).build();
        StanzaError e = StanzaError.fromElement(weird);
        assertEquals(Condition.UNDEFINED_CONDITION, e.condition());
        assertEquals(Condition.UNDEFINED_CONDITION.defaultType(), e.type());
        assertNull(e.text());
    }

    @Test
    void applicationConditionNeedsItsOwnNamespace() {
        assertThrows(IllegalArgumentException.class, () -> StanzaError.builder(Condition.BAD_REQUEST)
                .applicationCondition(XmlElement.empty(StanzaError.NAMESPACE, "x")));
        assertThrows(IllegalArgumentException.class, () -> StanzaError.builder(Condition.BAD_REQUEST)
                .applicationCondition(XmlElement.empty(XmlElement.CONTENT_NS, "x")));
    }

    @Test
    void jidMalformedFromException() {
        JidFormatException jfe = assertThrows(JidFormatException.class, () -> Jid.parse("♚@example.com"));
        StanzaError e = StanzaError.jidMalformed(jfe);
        assertEquals(Condition.JID_MALFORMED, e.condition());
        assertEquals(Type.MODIFY, e.type());
        assertEquals(jfe.getMessage(), e.text());
    }
}
