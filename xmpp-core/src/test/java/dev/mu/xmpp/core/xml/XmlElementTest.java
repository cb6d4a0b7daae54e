package dev.mu.xmpp.core.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlElementTest {

    private static final XmlElement MESSAGE = XmlElement.builder(XmlElement.CONTENT_NS, "message")
            .attribute("from", "mallory@example.com")
            .attribute("type", "chat")
            .attribute("urn:x", "to", "qualified")
            .attribute("to", "bob@example.com")
            .child(XmlElement.builder(XmlElement.CONTENT_NS, "body").text("hi").build())
            .build();

    @Test
    void withAttributesRemovesBothNamesAndAppendsTheGivenValuesInOrder() {
        XmlElement stamped = MESSAGE.withAttributes("to", "bob@example.com/r1", "from", "alice@example.com/r1");
        assertEquals(List.of(
                new XmlAttribute("", "type", "chat"),
                new XmlAttribute("urn:x", "to", "qualified"),
                XmlAttribute.of("to", "bob@example.com/r1"),
                XmlAttribute.of("from", "alice@example.com/r1")), stamped.attributes());
        assertSame(MESSAGE.children(), stamped.children());

        XmlElement removed = MESSAGE.withAttributes("to", null, "from", null);
        assertEquals(List.of(new XmlAttribute("", "type", "chat"), new XmlAttribute("urn:x", "to", "qualified")),
                removed.attributes());
    }

    @Test
    void listsAreCopiedOnceAndUnmodifiable() {
        List<XmlAttribute> attributes = new ArrayList<>(List.of(XmlAttribute.of("id", "1")));
        XmlElement e = XmlElement.of("urn:x", "e", attributes, List.of());
        attributes.add(XmlAttribute.of("id", "2"));
        assertEquals(List.of(XmlAttribute.of("id", "1")), e.attributes());
        assertThrows(UnsupportedOperationException.class, () -> e.attributes().add(XmlAttribute.of("a", "b")));
        assertThrows(UnsupportedOperationException.class, () -> e.children().clear());
        assertSame(e.attributes(), XmlElement.of("urn:x", "f", e.attributes(), e.children()).attributes());
        List<XmlNode> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> XmlElement.of("urn:x", "e", List.of(), withNull));
    }
}
