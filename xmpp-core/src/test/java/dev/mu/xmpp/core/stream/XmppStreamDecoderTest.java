package dev.mu.xmpp.core.stream;

import static dev.mu.xmpp.core.stream.StreamTestSupport.HEADER;
import static dev.mu.xmpp.core.stream.StreamTestSupport.decode;
import static dev.mu.xmpp.core.stream.StreamTestSupport.readAll;
import static dev.mu.xmpp.core.stream.StreamTestSupport.resource;
import static dev.mu.xmpp.core.stream.StreamTestSupport.utf8;
import static dev.mu.xmpp.core.stream.StreamTestSupport.violation;
import static dev.mu.xmpp.core.stream.StreamTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.core.xml.XmlText;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmppStreamDecoderTest {

    private static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 1 << 20})
    void decodesOpenStanzasNonzasAndClose(int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(XmppDecoderConfig.defaults()));
        write(ch, resource("c2s-session.xml"), chunk);

        StreamOpen open = (StreamOpen) ch.readInbound();
        assertEquals(StreamNamespaces.CLIENT, open.contentNamespace());
        assertEquals("example.com", open.to());
        assertEquals("1.0", open.version());
        assertEquals("en", open.lang());
        assertNull(open.from());

        XmlElement auth = ((StreamElement) ch.readInbound()).element();
        assertTrue(auth.is("urn:ietf:params:xml:ns:xmpp-sasl", "auth"));
        assertEquals("PLAIN", auth.attribute("mechanism"));
        assertEquals("AGp1bGlldAByMG0zMG15cjBtMzA=", auth.text());

        XmlElement iq = ((StreamElement) ch.readInbound()).element();
        assertTrue(iq.is(XmlElement.CONTENT_NS, "iq"));
        assertEquals("balcony", iq.firstChild("urn:ietf:params:xml:ns:xmpp-bind", "bind")
                .firstChild("urn:ietf:params:xml:ns:xmpp-bind", "resource").text());

        XmlElement presence = ((StreamElement) ch.readInbound()).element();
        XmlElement status = presence.firstChild(XmlElement.CONTENT_NS, "status");
        assertEquals("héllo ☃ 𝄞 — 你好", status.text());
        assertEquals("fr", status.attribute(XmlElement.XML_NS, "lang"));

        XmlElement message = ((StreamElement) ch.readInbound()).element();
        assertEquals("h&llo <b> ☺ ☃ ☃ 𝄞 “quoted” 'apos'", message.firstChild(XmlElement.CONTENT_NS, "body").text());

        XmlElement cdata = ((StreamElement) ch.readInbound()).element();
        assertEquals("<not markup> & ☃", cdata.firstChild(XmlElement.CONTENT_NS, "body").text());
        XmlElement p = cdata.firstChild("http://jabber.org/protocol/xhtml-im", "html")
                .firstChild("http://www.w3.org/1999/xhtml", "body").firstChild("http://www.w3.org/1999/xhtml", "p");
        assertEquals(List.of(new XmlText("bold 𝄞")), p.children());

        XmlElement carbon = ((StreamElement) ch.readInbound()).element();
        XmlElement forwarded = carbon.firstChild("urn:xmpp:carbons:2", "sent").firstChild("urn:xmpp:forward:0", "forwarded");
        // The explicitly declared content namespace maps to CONTENT_NS inside foreign elements too.
        assertEquals("nested ünïcödé", forwarded.firstChild(XmlElement.CONTENT_NS, "message")
                .firstChild(XmlElement.CONTENT_NS, "body").text());

        assertTrue(((StreamElement) ch.readInbound()).element().is(XmlElement.CONTENT_NS, "iq"));
        assertTrue(((StreamElement) ch.readInbound()).element().is("urn:xmpp:sm:3", "r"));
        assertSame(StreamClose.INSTANCE, ch.readInbound());
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void headerKeepsAllAttributesAndNamespaceDeclarations() {
        List<XmppStreamEvent> events = decode("<stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback'"
                + " xmlns:stream='http://etherx.jabber.org/streams' from='a.example' to='b.example' id='s2s-1'"
                + " version='1.0' xml:lang='de' custom='x'>");
        StreamOpen open = (StreamOpen) events.get(0);
        assertEquals(1, events.size());
        assertEquals(StreamNamespaces.SERVER, open.contentNamespace());
        assertEquals("a.example", open.from());
        assertEquals("b.example", open.to());
        assertEquals("s2s-1", open.id());
        assertEquals("de", open.lang());
        assertEquals("x", open.attribute("custom"));
        assertEquals(Map.of("", "jabber:server", "db", "jabber:server:dialback", "stream", StreamNamespaces.STREAMS),
                open.namespaceDeclarations());
        assertEquals(new XmlAttribute(XmlElement.XML_NS, "lang", "de"), open.attributes().get(4));
    }

    @Test
    void streamFeaturesAndErrorKeepTheStreamsNamespace() {
        List<XmppStreamEvent> events = decode(HEADER + "<stream:features><starttls xmlns='" + TLS_NS + "'><required/>"
                + "</starttls></stream:features><stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "</stream:error>");
        XmlElement features = ((StreamElement) events.get(1)).element();
        assertTrue(features.is(StreamNamespaces.STREAMS, "features"));
        assertTrue(features.firstChild(TLS_NS, "starttls").firstChild(TLS_NS, "required") != null);
        XmlElement error = ((StreamElement) events.get(2)).element();
        assertEquals(StreamError.CONFLICT, StreamError.of(error));
    }

    @Test
    void emptyRootOpensAndCloses() {
        List<XmppStreamEvent> events = decode("<stream:stream xmlns='jabber:client' xmlns:stream='"
                + StreamNamespaces.STREAMS + "'/>");
        assertEquals(2, events.size());
        assertInstanceOf(StreamOpen.class, events.get(0));
        assertSame(StreamClose.INSTANCE, events.get(1));
    }

    @Test
    void wireBytesCountWhitespaceBeforeTheElement() {
        List<XmppStreamEvent> events = decode(HEADER + "\n  <presence/>");
        assertEquals(14, ((StreamElement) events.get(1)).wireBytes());
    }

    @Test
    void inputAfterCloseIsIgnored() {
        List<XmppStreamEvent> events = decode(HEADER + "</stream:stream><message/>garbage<");
        assertEquals(2, events.size());
        assertSame(StreamClose.INSTANCE, events.get(1));
    }

    /** Calls {@link XmppStreamDecoder#reset()} on {@code <starttls/>}, as the session handler does. */
    private static final class RestartOnStartTls extends ChannelInboundHandlerAdapter {
        final XmppStreamDecoder decoder;
        final List<XmppStreamEvent> events = new ArrayList<>();

        RestartOnStartTls(XmppStreamDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            events.add((XmppStreamEvent) msg);
            if (msg instanceof StreamElement e && e.element().is(TLS_NS, "starttls")) {
                decoder.reset();
            }
        }
    }

    @Test
    void resetRestartsTheStreamAndDropsBytesSentBeforeTheRestart() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        RestartOnStartTls handler = new RestartOnStartTls(decoder);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, handler);
        // Plaintext injected after <starttls/> in the same read must not reach the new stream.
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER + "<starttls xmlns='" + TLS_NS + "'/><message><body>injected"
                + "</body></message>")));
        assertEquals(2, handler.events.size());
        assertInstanceOf(StreamOpen.class, handler.events.get(0));

        write(ch, utf8(HEADER + "<message><body>after restart</body></message>"), 5);
        assertEquals(4, handler.events.size());
        assertInstanceOf(StreamOpen.class, handler.events.get(2));
        assertEquals("after restart", ((StreamElement) handler.events.get(3)).element()
                .firstChild(XmlElement.CONTENT_NS, "body").text());
        assertFalse(ch.finish());
    }

    @Test
    void resetBetweenReadsStartsAFreshStream() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        write(ch, utf8(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AA==</auth>"), 16);
        assertEquals(2, readAll(ch).size());
        // SASL success was sent asynchronously; the client's next bytes are a new stream header (RFC 6120 §6.4.6).
        decoder.reset();
        write(ch, utf8(HEADER + "<iq type='set' id='b'/>"), 16);
        List<XmppStreamEvent> events = readAll(ch);
        assertEquals(2, events.size());
        assertInstanceOf(StreamOpen.class, events.get(0));
        assertInstanceOf(StreamElement.class, events.get(1));
        assertFalse(ch.finish());
    }

    @Test
    void resetAfterViolationRecovers() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        write(ch, utf8(HEADER + "<message><body>a</message>"), 100);
        assertEquals(StreamError.NOT_WELL_FORMED, violation(readAll(ch)).error());
        decoder.reset();
        write(ch, utf8(HEADER), 100);
        assertInstanceOf(StreamOpen.class, ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void stopsConsumingAfterAViolation() {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(XmppDecoderConfig.defaults()));
        write(ch, utf8(HEADER + "<!-- no --><message/>"), 3);
        List<XmppStreamEvent> events = readAll(ch);
        assertEquals(2, events.size());
        assertEquals(StreamError.RESTRICTED_XML, violation(events).error());
        write(ch, utf8("<message/><presence/></stream:stream>"), 4);
        assertTrue(readAll(ch).isEmpty());
        assertFalse(ch.finish());
    }

    // --- RFC 6120 §4.8: namespaces of the stream header

    @Test
    void wrongRootNamespaceIsInvalidNamespace() {
        assertViolation(StreamError.INVALID_NAMESPACE,
                "<stream:stream xmlns='jabber:client' xmlns:stream='http://wrong.example/streams'>");
        assertViolation(StreamError.INVALID_NAMESPACE, "<stream xmlns='jabber:client'>");
        assertViolation(StreamError.INVALID_NAMESPACE,
                "<stream:features xmlns='jabber:client' xmlns:stream='" + StreamNamespaces.STREAMS + "'>");
    }

    @Test
    void unsupportedContentNamespaceIsInvalidNamespace() {
        assertViolation(StreamError.INVALID_NAMESPACE,
                "<stream:stream xmlns='jabber:component:accept' xmlns:stream='" + StreamNamespaces.STREAMS + "'>");
        assertViolation(StreamError.INVALID_NAMESPACE, "<stream:stream xmlns:stream='" + StreamNamespaces.STREAMS + "'>");
        XmppDecoderConfig c2sOnly = XmppDecoderConfig.builder().contentNamespaces(StreamNamespaces.CLIENT).build();
        List<XmppStreamEvent> events = decode(c2sOnly, utf8("<stream:stream xmlns='jabber:server' xmlns:stream='"
                + StreamNamespaces.STREAMS + "'>"), 8);
        assertEquals(StreamError.INVALID_NAMESPACE, violation(events).error());
    }

    @Test
    void otherStreamPrefixIsBadNamespacePrefix() {
        assertViolation(StreamError.BAD_NAMESPACE_PREFIX,
                "<foobar:stream xmlns='jabber:client' xmlns:foobar='" + StreamNamespaces.STREAMS + "'>");
    }

    @Test
    void unknownStreamsElementIsUnsupportedStanzaType() {
        assertViolation(StreamError.UNSUPPORTED_STANZA_TYPE, HEADER + "<stream:foo/>");
    }

    @Test
    void textBetweenStanzasIsBadFormat() {
        assertViolation(StreamError.BAD_FORMAT, HEADER + "<presence/>hello<presence/>");
    }

    // --- RFC 6120 §11: restricted XML, well-formedness, encoding

    @Test
    void doctypeIsRestricted() {
        assertViolation(StreamError.RESTRICTED_XML, "<?xml version='1.0'?><!DOCTYPE stream>" + HEADER.substring(21));
    }

    @Test
    void billionLaughsIsRefusedAtTheDoctype() {
        List<XmppStreamEvent> events = decode(resource("billion-laughs.xml"), 13);
        assertEquals(List.of(new StreamViolation(StreamError.RESTRICTED_XML, "DTDs and comments are restricted XML")),
                events);
    }

    @Test
    void entityReferencesAreRestricted() {
        assertViolation(StreamError.RESTRICTED_XML, HEADER + "<message><body>&lol9;</body></message>");
        assertViolation(StreamError.RESTRICTED_XML, HEADER + "<message><body>a &nbsp; b</body></message>");
    }

    @Test
    void undeclaredEntityInAttributeIsRejected() {
        // Aalto reports it as a well-formedness error (XML 1.0 WFC: Entity Declared); either closes the stream.
        StreamViolation v = violation(decode(HEADER + "<message to='&lol;'/>"));
        assertNotNull(v);
        assertTrue(v.error() == StreamError.RESTRICTED_XML || v.error() == StreamError.NOT_WELL_FORMED);
    }

    @Test
    void processingInstructionsAreRestricted() {
        assertViolation(StreamError.RESTRICTED_XML, HEADER + "<?php echo 1; ?>");
        assertViolation(StreamError.RESTRICTED_XML, HEADER + "<message><?pi data?></message>");
        assertViolation(StreamError.RESTRICTED_XML, "<?xml version='1.0'?><?xml-stylesheet href='a'?>" + HEADER.substring(21));
    }

    @Test
    void commentsAreRestricted() {
        assertViolation(StreamError.RESTRICTED_XML, "<!-- hi -->" + HEADER);
        assertViolation(StreamError.RESTRICTED_XML, HEADER + "<message><!-- hi --></message>");
        assertViolation(StreamError.RESTRICTED_XML, HEADER + "<!-- keepalive -->");
    }

    @Test
    void encodingsOtherThanUtf8AreUnsupported() {
        assertViolation(StreamError.UNSUPPORTED_ENCODING,
                "<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER.substring(21));
        byte[] utf16 = ("\uFEFF" + HEADER).getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
        assertEquals(StreamError.UNSUPPORTED_ENCODING, violation(decode(utf16, 1)).error());
        byte[] utf16le = HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        assertEquals(StreamError.UNSUPPORTED_ENCODING, violation(decode(utf16le, 3)).error());
    }

    @Test
    void explicitUtf8DeclarationIsAccepted() {
        List<XmppStreamEvent> events = decode("<?xml version='1.0' encoding='UTF-8'?>" + HEADER.substring(21));
        assertInstanceOf(StreamOpen.class, events.get(0));
    }

    @Test
    void xml11IsRefused() {
        assertViolation(StreamError.BAD_FORMAT, "<?xml version='1.1'?>" + HEADER.substring(21));
    }

    @Test
    void parserTakesALargeDirectBufferInCopiesAndDecodesItLikeAnArray() {
        StringBuilder stream = new StringBuilder(HEADER);
        for (int i = 0; i < 100; i++) {
            stream.append("<message to='bob@example.com' id='m").append(i).append("' x='\uD834\uDD1E'>")
                    .append("<body>Grüße 😀 &amp; спасибо ").append(i).append("</body></message>");
        }
        byte[] data = utf8(stream.append("</stream:stream>").toString());
        assertTrue(data.length > 2 * XmppStreamParser.COPY_BYTES);

        List<XmppStreamEvent> fromArray = new ArrayList<>();
        new XmppStreamParser(XmppDecoderConfig.defaults()).parse(ByteBuffer.wrap(data), fromArray::add);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        XmppStreamParser parser = new XmppStreamParser(XmppDecoderConfig.defaults());
        assertEquals(XmppStreamParser.COPY_BYTES, parser.feed(direct));
        assertEquals(XmppStreamParser.COPY_BYTES, direct.position());
        List<XmppStreamEvent> fromDirect = new ArrayList<>();
        XmppStreamEvent event;
        while ((event = parser.next()) != null) {
            fromDirect.add(event);
        }
        parser.parse(direct, fromDirect::add);

        assertEquals(102, fromArray.size());
        assertEquals(fromArray, fromDirect);
        assertEquals("Grüße 😀 & спасибо 99", ((StreamElement) fromArray.get(100)).element()
                .firstChild(XmlElement.CONTENT_NS, "body").text());
    }

    @Test
    void malformedXmlIsNotWellFormed() {
        assertViolation(StreamError.NOT_WELL_FORMED, HEADER + "<message><body>a</message>");
        assertViolation(StreamError.NOT_WELL_FORMED, HEADER + "<message a='1' a='2'/>");
        assertViolation(StreamError.NOT_WELL_FORMED, HEADER + "<message>\u0001</message>");
        assertViolation(StreamError.NOT_WELL_FORMED, HEADER + "<message>&#0;</message>");
        assertViolation(StreamError.NOT_WELL_FORMED, "hello");
        assertViolation(StreamError.NOT_WELL_FORMED, HEADER + "<a:message/>");
    }

    @Test
    void invalidUtf8IsNotWellFormed() {
        byte[] header = utf8(HEADER + "<message><body>");
        byte[] data = java.util.Arrays.copyOf(header, header.length + 2);
        data[header.length] = (byte) 0xC3;
        data[header.length + 1] = (byte) 0x28;
        assertEquals(StreamError.NOT_WELL_FORMED, violation(decode(data, 1)).error());
    }

    private static void assertViolation(StreamError expected, String stream) {
        for (int chunk : new int[] {1, 5, Integer.MAX_VALUE}) {
            List<XmppStreamEvent> events = decode(utf8(stream), chunk);
            StreamViolation v = violation(events);
            assertNotNull(v, () -> "no violation for " + stream + ": " + events);
            assertEquals(expected, v.error(), () -> stream + " in chunks of " + chunk + ": " + v);
            for (int i = 0; i < events.size() - 1; i++) {
                assertFalse(events.get(i) instanceof StreamViolation);
            }
        }
    }
}
