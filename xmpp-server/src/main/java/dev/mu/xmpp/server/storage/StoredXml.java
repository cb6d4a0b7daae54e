package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stream.StreamElement;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import dev.mu.xmpp.core.stream.XmppStreamEvent;
import dev.mu.xmpp.core.stream.XmppStreamParser;
import dev.mu.xmpp.core.stream.XmppStreamWriter;
import dev.mu.xmpp.core.xml.XmlElement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns elements into the text kept in the database and back, through the same writer and parser
 * as the wire, so that stored stanzas obey the same restricted XML.
 */
final class StoredXml {

    private static final String HEADER = "<stream:stream xmlns='" + Stanza.CLIENT_NS
            + "' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
    private static final XmppStreamWriter WRITER = new XmppStreamWriter(Stanza.CLIENT_NS);
    /** What the database holds was accepted from the wire, so the wire's limits suffice. */
    private static final XmppDecoderConfig CONFIG = XmppDecoderConfig.defaults();

    private StoredXml() {
    }

    static String toText(XmlElement element) {
        return WRITER.toXml(element);
    }

    static XmlElement parse(String text) {
        XmppStreamParser parser = new XmppStreamParser(CONFIG);
        XmlElement[] result = new XmlElement[1];
        String[] error = new String[1];
        java.util.function.Consumer<XmppStreamEvent> sink = e -> {
            if (e instanceof StreamElement se && result[0] == null) {
                result[0] = se.element();
            } else if (e instanceof StreamViolation v) {
                error[0] = v.error().elementName() + ": " + v.text();
            }
        };
        parser.parse(ByteBuffer.wrap(HEADER.getBytes(StandardCharsets.UTF_8)), sink);
        parser.parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), sink);
        if (result[0] == null) {
            throw new IllegalStateException("Stored XML does not parse (" + error[0] + ")");
        }
        return result[0];
    }
}
