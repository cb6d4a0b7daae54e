package dev.mu.xmpp.router;

import dev.mu.xmpp.core.stream.StreamElement;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import dev.mu.xmpp.core.stream.XmppStreamParser;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses stanzas written as XML strings with the core stream parser, and matches received stanzas
 * against expected ones.
 *
 * <p>Matching is by inclusion: the received element has the expected name and namespace, every
 * expected attribute with the same value (or any value where the expected one is {@code *}), and,
 * for every expected child, some child that matches it; expected text, where there is any, must be
 * equal. So {@code <presence type='subscribe' from='alice@example.com'/>} matches a subscription
 * request whatever its {@code id} or status.
 */
public final class Xml {

    private static final String HEADER = "<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";
    private static final XmppDecoderConfig CONFIG = XmppDecoderConfig.defaults();

    private Xml() {
    }

    /** Parses one first-level element, as a client's stream would deliver it. */
    public static XmlElement parse(String xml) {
        XmppStreamParser parser = new XmppStreamParser(CONFIG);
        List<XmlElement> out = new ArrayList<>();
        parser.parse(ByteBuffer.wrap((HEADER + xml).getBytes(StandardCharsets.UTF_8)), event -> {
            if (event instanceof StreamElement e) {
                out.add(e.element());
            } else if (event instanceof StreamViolation v) {
                throw new IllegalArgumentException("not a valid stanza: " + v.text() + ": " + xml);
            }
        });
        if (out.size() != 1) {
            throw new IllegalArgumentException("expected exactly one element, got " + out.size() + ": " + xml);
        }
        return out.get(0);
    }

    /** Whether {@code actual} includes everything {@code expected} says (see the class comment). */
    public static boolean matches(XmlElement expected, XmlElement actual) {
        if (!expected.namespace().equals(actual.namespace()) || !expected.name().equals(actual.name())) {
            return false;
        }
        for (XmlAttribute a : expected.attributes()) {
            String value = actual.attribute(a.namespace(), a.name());
            if (value == null || !(a.value().equals("*") || a.value().equals(value))) {
                return false;
            }
        }
        List<XmlElement> children = actual.elements();
        for (XmlElement e : expected.elements()) {
            if (children.stream().noneMatch(c -> matches(e, c))) {
                return false;
            }
        }
        return expected.elements().isEmpty() && !expected.text().isEmpty()
                ? expected.text().equals(actual.text()) : true;
    }
}
