package dev.mu.xmpp.core.stream;

import static dev.mu.xmpp.core.stream.StreamTestSupport.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmppStreamWriterTest {

    private final XmppStreamWriter client = new XmppStreamWriter(StreamNamespaces.CLIENT);
    private final XmppStreamWriter server = new XmppStreamWriter(StreamNamespaces.SERVER);

    @Test
    void contentNamespaceIsInheritedAtTopLevelAndDeclaredInsideForeignElements() {
        XmlElement inner = XmlElement.builder(XmlElement.CONTENT_NS, "message").attribute("to", "a@b")
                .child(XmlElement.builder(XmlElement.CONTENT_NS, "body").text("hi").build()).build();
        XmlElement carbon = XmlElement.builder(XmlElement.CONTENT_NS, "message")
                .child(XmlElement.builder("urn:xmpp:forward:0", "forwarded").child(inner).build()).build();
        assertEquals("<message><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' to='a@b'>"
                + "<body>hi</body></message></forwarded></message>", client.toXml(carbon));
        assertEquals("<message><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:server' to='a@b'>"
                + "<body>hi</body></message></forwarded></message>", server.toXml(carbon));
    }

    @Test
    void namespacesAreDeclaredOnlyWhereTheyChange() {
        XmlElement iq = XmlElement.builder(XmlElement.CONTENT_NS, "iq").attribute("type", "result")
                .child(XmlElement.builder("urn:ietf:params:xml:ns:xmpp-bind", "bind")
                        .child(XmlElement.builder("urn:ietf:params:xml:ns:xmpp-bind", "jid").text("a@b/c").build())
                        .build())
                .build();
        assertEquals("<iq type='result'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>a@b/c</jid></bind></iq>",
                client.toXml(iq));
        XmlElement tls = XmlElement.empty("urn:ietf:params:xml:ns:xmpp-tls", "proceed");
        assertEquals("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", client.toXml(tls));
    }

    @Test
    void escapesTextAndAttributes() {
        XmlElement body = XmlElement.builder(XmlElement.CONTENT_NS, "body")
                .attribute("a", "x'y\"z&<>\t\n\r").text("a&b<c>d]]>e\"f'g\r\n").build();
        assertEquals("<body a='x&apos;y&quot;z&amp;&lt;&gt;&#x9;&#xA;&#xD;'>a&amp;b&lt;c&gt;d]]&gt;e\"f'g&#xD;\n</body>",
                client.toXml(body));
    }

    @Test
    void dropsCharactersXmlDoesNotAllow() {
        XmlElement body = XmlElement.builder(XmlElement.CONTENT_NS, "body")
                .text("a\u0000b\u0001c\uFFFEd\uD800e\uDC00f𝄞g☃").build();
        assertEquals("<body>abcdef𝄞g☃</body>", client.toXml(body));
    }

    @Test
    void rejectsInvalidNames() {
        assertThrows(IllegalArgumentException.class, () -> client.toXml(XmlElement.empty("urn:x", "a b")));
        assertThrows(IllegalArgumentException.class, () -> client.toXml(XmlElement.empty("urn:x", "1a")));
        assertThrows(IllegalArgumentException.class, () -> client.toXml(XmlElement.empty("urn:x", "p:a")));
        assertThrows(IllegalArgumentException.class,
                () -> client.toXml(XmlElement.builder("urn:x", "a").attribute("b<", "1").build()));
        assertEquals("<ünï-1.x xmlns='urn:x'/>", client.toXml(XmlElement.empty("urn:x", "ünï-1.x")));
    }

    @Test
    void writesXmlLangAndNamespacedAttributes() {
        XmlElement e = XmlElement.builder(XmlElement.CONTENT_NS, "message")
                .attribute(XmlElement.XML_NS, "lang", "fr")
                .attribute("urn:a", "x", "1")
                .attribute("urn:a", "y", "2")
                .build();
        assertEquals("<message xml:lang='fr' xmlns:ns1='urn:a' ns1:x='1' xmlns:ns2='urn:a' ns2:y='2'/>", client.toXml(e));
    }

    @Test
    void writesStreamElementsWithTheStreamPrefix() {
        assertEquals("<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>too big</text></stream:error>",
                client.toXml(StreamError.POLICY_VIOLATION.toElement("too big")));
        XmlElement features = XmlElement.builder(StreamNamespaces.STREAMS, "features")
                .child(XmlElement.empty("urn:ietf:params:xml:ns:xmpp-tls", "starttls")).build();
        assertEquals("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>",
                client.toXml(features));
    }

    @Test
    void headerAndCloseRoundTripThroughTheDecoder() {
        ByteBuf out = Unpooled.buffer();
        server.writeStreamHeader(out, List.of(XmlAttribute.of("from", "a.example"), XmlAttribute.of("id", "x'1"),
                XmlAttribute.of("version", "1.0"), new XmlAttribute(XmlElement.XML_NS, "lang", "en")),
                Map.of("db", "jabber:server:dialback"));
        server.writeElement(XmlElement.empty(XmlElement.CONTENT_NS, "presence"), out);
        server.writeStreamClose(out);
        String xml = out.toString(StandardCharsets.UTF_8);
        assertEquals("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream="
                + "'http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' from='a.example' id='x&apos;1'"
                + " version='1.0' xml:lang='en'><presence/></stream:stream>", xml);

        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(XmppDecoderConfig.defaults()));
        ch.writeInbound(out);
        StreamOpen open = (StreamOpen) ch.readInbound();
        assertEquals("x'1", open.id());
        assertEquals("jabber:server:dialback", open.namespaceDeclarations().get("db"));
        assertEquals(XmlElement.empty(XmlElement.CONTENT_NS, "presence"), ((StreamElement) ch.readInbound()).element());
        assertSame(StreamClose.INSTANCE, ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void cachesTheEncodingPerContentNamespaceOnTheSecondWrite() {
        XmlElement message = XmlElement.builder(XmlElement.CONTENT_NS, "message")
                .child(XmlElement.builder("urn:x", "x").child(XmlElement.empty(XmlElement.CONTENT_NS, "y")).build())
                .build();
        byte[] expected = client.toBytes(message);
        assertNull(message.encodedCache(), "toBytes neither counts as a write nor caches");

        assertArrayEquals(expected, write(client, message));
        assertEquals(-1, client.encodedLength(message), "nothing cached after the first write");
        // Another writer for the same content namespace, as another connection's encoder would be.
        XmppStreamWriter otherClient = new XmppStreamWriter(StreamNamespaces.CLIENT);
        assertArrayEquals(expected, write(otherClient, message));
        assertEquals(expected.length, client.encodedLength(message));
        Object cached = message.encodedCache();
        assertArrayEquals(expected, write(client, message));
        assertArrayEquals(expected, client.toBytes(message));
        assertSame(cached, message.encodedCache());

        assertEquals("<message><x xmlns='urn:x'><y xmlns='jabber:server'/></x></message>",
                new String(write(server, message), StandardCharsets.UTF_8));
        assertEquals(-1, client.encodedLength(message));
        assertArrayEquals(expected, write(client, message));
    }

    private static byte[] write(XmppStreamWriter writer, XmlElement element) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.writeElement(element, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void stanzaEncoderWritesElements() {
        EmbeddedChannel ch = new EmbeddedChannel(new StanzaEncoder(StreamNamespaces.CLIENT));
        ch.writeOutbound(XmlElement.builder(XmlElement.CONTENT_NS, "message").attribute("to", "a@b")
                .child(XmlElement.builder(XmlElement.CONTENT_NS, "body").text("☃ & 𝄞").build()).build());
        ByteBuf out = ch.readOutbound();
        assertEquals("<message to='a@b'><body>☃ &amp; 𝄞</body></message>", out.toString(StandardCharsets.UTF_8));
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void decodedStanzaIsWrittenBackEquivalently() {
        String stanza = "<message to='a@b' xml:lang='en'><body>h&amp;llo ☃</body>"
                + "<x xmlns='jabber:x:data' type='form'><field var='a'><value>1</value></field></x></message>";
        XmlElement decoded = ((StreamElement) decode(StreamTestSupport.HEADER + stanza).get(1)).element();
        assertEquals(stanza, client.toXml(decoded));
    }
}
