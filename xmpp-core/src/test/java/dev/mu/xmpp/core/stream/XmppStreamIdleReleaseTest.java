package dev.mu.xmpp.core.stream;

import static dev.mu.xmpp.core.stream.StreamTestSupport.HEADER;
import static dev.mu.xmpp.core.stream.StreamTestSupport.readAll;
import static dev.mu.xmpp.core.stream.StreamTestSupport.utf8;
import static dev.mu.xmpp.core.stream.StreamTestSupport.violation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link XmppStreamDecoder#releaseIdleState()}: a stream released between first-level elements
 * decodes the rest exactly as one that never was, limits and violations included.
 */
class XmppStreamIdleReleaseTest {

    /** A header that binds two prefixes beyond the required ones, one with characters to escape. */
    private static final String RICH_HEADER = "<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
            + " xmlns:q='urn:x:a&amp;b&apos;c&lt;d&#10;e' to='example.com' version='1.0'>";

    private static final List<String> STANZAS = List.of(
            "<message to='bob@example.com' id='a&amp;b&lt;c&#x263A;'><body>hi &amp; bye</body></message>",
            "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>",
            "<message><x:event xmlns:x='urn:x:events'><x:item x:n='1'>é😀</x:item></x:event></message>",
            "<db:result to='a' from='b'>key</db:result>",
            "<q:thing q:attr='v'><inner/></q:thing>",
            "<presence><status>a<![CDATA[<b>]]>c</status><c xmlns='http://jabber.org/protocol/caps' ver='x'/></presence>",
            "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");

    /** Writes each read as one buffer, releasing the decoder's reader after each; returns the events and whether each release happened. */
    private static List<XmppStreamEvent> decodeReleasing(XmppDecoderConfig config, List<String> reads, List<Boolean> released) {
        XmppStreamDecoder decoder = new XmppStreamDecoder(config);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        for (String read : reads) {
            ch.writeInbound(Unpooled.copiedBuffer(utf8(read)));
            released.add(decoder.releaseIdleState());
        }
        List<XmppStreamEvent> events = readAll(ch);
        ch.finishAndReleaseAll();
        return events;
    }

    private static List<XmppStreamEvent> decodeReleasing(XmppDecoderConfig config, List<String> reads) {
        return decodeReleasing(config, reads, new ArrayList<>());
    }

    private static List<XmppStreamEvent> decodeWhole(XmppDecoderConfig config, List<String> reads) {
        return StreamTestSupport.decode(config, utf8(String.join("", reads)), Integer.MAX_VALUE);
    }

    private static List<String> reads(String... reads) {
        return List.of(reads);
    }

    @Test
    void releasingBetweenStanzasChangesNoEvent() {
        List<String> reads = new ArrayList<>();
        reads.add(RICH_HEADER);
        reads.addAll(STANZAS);
        reads.add("</stream:stream>");
        List<Boolean> released = new ArrayList<>();
        List<XmppStreamEvent> events = decodeReleasing(XmppDecoderConfig.defaults(), reads, released);

        assertEquals(decodeWhole(XmppDecoderConfig.defaults(), reads), events);
        assertEquals(STANZAS.size() + 2, events.size());
        // After the header and every stanza; the stream is over after the close.
        assertEquals(List.of(true, true, true, true, true, true, true, true, false), released);
        assertEquals("urn:x:events", ((StreamElement) events.get(3)).element().firstElement().namespace());
        XmlElement thing = ((StreamElement) events.get(5)).element();
        assertEquals("urn:x:a&b'c<d\ne", thing.namespace());
        assertInstanceOf(StreamClose.class, events.get(events.size() - 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void stanzaSplitAcrossReadsRightAfterReleaseDecodesTheSame(int chunk) {
        List<String> reads = new ArrayList<>();
        reads.add(RICH_HEADER);
        for (String stanza : STANZAS.subList(0, 5)) {
            byte[] bytes = utf8(stanza);
            // Split by bytes, so that multi-byte characters are cut too.
            for (int i = 0; i < bytes.length; i += chunk) {
                reads.add(new String(bytes, i, Math.min(chunk, bytes.length - i), StandardCharsets.ISO_8859_1));
            }
        }
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        int releases = 0;
        for (String read : reads) {
            ch.writeInbound(Unpooled.copiedBuffer(read, StandardCharsets.ISO_8859_1));
            releases += decoder.releaseIdleState() ? 1 : 0;
        }
        List<XmppStreamEvent> events = readAll(ch);
        assertFalse(ch.finishAndReleaseAll());
        List<XmppStreamEvent> whole = decodeWhole(XmppDecoderConfig.defaults(),
                List.of(RICH_HEADER + String.join("", STANZAS.subList(0, 5))));
        assertEquals(6, whole.size());
        assertEquals(whole, events);
        // Only where a read ended a stanza (or the header).
        assertEquals(6, releases);
    }

    @Test
    void releaseInsideAnElementOrTheHeaderDoesNothing() {
        List<Boolean> released = new ArrayList<>();
        List<String> reads = reads("<stream:stream xmlns='jabber:client' ",
                "xmlns:stream='http://etherx.jabber.org/streams'>",
                "<message><bo", "dy>x</body></message><pres", "ence/>", "<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/>",
                "</iq>", "<message><body>\u00e9");
        List<XmppStreamEvent> events = decodeReleasing(XmppDecoderConfig.defaults(), reads, released);
        assertEquals(List.of(false, true, false, false, true, false, true, false), released);
        assertEquals(decodeWhole(XmppDecoderConfig.defaults(), reads), events);
    }

    @Test
    void releaseWithACharacterCutAtTheEndDoesNothing() {
        XmppStreamParser parser = new XmppStreamParser(XmppDecoderConfig.defaults());
        byte[] stanza = utf8("<message><body>\u00e9</body></message>");
        byte[] input = new byte[HEADER.length() + 16];
        System.arraycopy(utf8(HEADER), 0, input, 0, HEADER.length());
        System.arraycopy(stanza, 0, input, HEADER.length(), 16);
        List<XmppStreamEvent> events = new ArrayList<>();
        parser.parse(ByteBuffer.wrap(input), events::add);
        assertFalse(parser.releaseIdleState(), "half of 'é' is held back");
        parser.parse(ByteBuffer.wrap(stanza, 16, stanza.length - 16), events::add);
        assertTrue(parser.releaseIdleState());
        assertEquals("\u00e9", ((StreamElement) events.get(1)).element().firstElement().text());
    }

    @Test
    void whitespaceKeepalivesAfterAStanzaLeaveItReleasable() {
        List<Boolean> released = new ArrayList<>();
        List<String> reads = reads(HEADER, "<presence/>", " ", "\n", "<presence/> ", "\t", "<presence/>");
        List<XmppStreamEvent> events = decodeReleasing(XmppDecoderConfig.defaults(), reads, released);
        assertEquals(List.of(true, true, true, true, true, true, true), released);
        assertEquals(decodeWhole(XmppDecoderConfig.defaults(), reads), events);
        // The whitespace before a stanza still counts towards it.
        assertEquals(13, ((StreamElement) events.get(2)).wireBytes());
        assertEquals(13, ((StreamElement) events.get(3)).wireBytes());
    }

    @Test
    void releaseIsRepeatableAndResetStartsAFreshStream() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER + "<presence/>")));
        assertTrue(decoder.releaseIdleState());
        assertTrue(decoder.releaseIdleState());
        decoder.reset();
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER + "<presence/>")));
        List<XmppStreamEvent> events = readAll(ch);
        assertEquals(4, events.size());
        assertInstanceOf(StreamOpen.class, events.get(2));
        assertEquals(11, ((StreamElement) events.get(3)).wireBytes());
        assertFalse(ch.finishAndReleaseAll());
    }

    // --- limits and violations after a release

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void stanzaSizeLimitIsTheSameAfterRelease(int spaces) {
        String stanza = "<message><body>" + "x".repeat(100) + "</body></message>";
        int size = stanza.length() + spaces;
        String space = " ".repeat(spaces);
        XmppDecoderConfig exact = XmppDecoderConfig.builder().maxStanzaBytes(size).build();
        List<XmppStreamEvent> ok = decodeReleasing(exact, reads(HEADER, stanza, space, stanza));
        assertEquals(3, ok.size());
        assertEquals(size, ((StreamElement) ok.get(2)).wireBytes());

        XmppDecoderConfig tight = XmppDecoderConfig.builder().maxStanzaBytes(size - 1).build();
        List<String> reads = reads(HEADER, "<presence/>", space, stanza);
        List<XmppStreamEvent> refused = decodeReleasing(tight, reads);
        assertEquals(decodeWhole(tight, reads), refused);
        assertEquals(new StreamViolation(StreamError.POLICY_VIOLATION, "stanza exceeds " + (size - 1) + " bytes"),
                violation(refused));
    }

    @Test
    void whitespaceFloodIsRefusedAfterRelease() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxStanzaBytes(64).build();
        List<String> reads = new ArrayList<>(List.of(HEADER, "<presence/>"));
        for (int i = 0; i < 20; i++) {
            reads.add("    ");
        }
        List<XmppStreamEvent> events = decodeReleasing(config, reads);
        assertEquals(StreamError.POLICY_VIOLATION, violation(events).error());
        assertEquals(decodeWhole(config, reads), events);
    }

    @Test
    void depthAndAttributeLimitsAreTheSameAfterRelease() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxDepth(4).maxAttributes(4).build();
        for (String stanza : List.of("<message><a xmlns='urn:x'><b><c/></b></a></message>",
                "<message><a xmlns='urn:x'><b><c><d/></c></b></a></message>",
                "<iq a='1' b='2' c='3' d='4'/>",
                "<iq a='1' b='2' c='3' d='4' e='5'/>",
                "<iq xmlns:p='1' xmlns:q='2' a='1' b='2' c='3'/>")) {
            List<String> reads = reads(HEADER, "<presence/>", stanza);
            assertEquals(decodeWhole(config, reads), decodeReleasing(config, reads), stanza);
        }
        List<XmppStreamEvent> tooDeep = decodeReleasing(config,
                reads(HEADER, "<presence/>", "<message><a xmlns='urn:x'><b><c><d/></c></b></a></message>"));
        assertEquals(StreamError.POLICY_VIOLATION, violation(tooDeep).error());
    }

    @Test
    void badInputAfterReleaseIsTheSameViolation() {
        List<String> bad = List.of(
                "<!DOCTYPE stream>",
                "<!DOCTYPE lol [<!ENTITY lol 'lol'>]><message/>",
                "<message><body>&lol9;</body></message>",
                "<message to='&lol;'/>",
                "<!-- keepalive -->",
                "<?php echo 1; ?>",
                "hello<presence/>",
                "<message></presence>",
                "<x:message/>",
                "<stream:other/>",
                "<message a='1' a='2'/>",
                "</stream:other>",
                "<message>\u0001</message>");
        for (String input : bad) {
            List<String> reads = reads(HEADER, "<presence/>", input);
            List<Boolean> released = new ArrayList<>();
            List<XmppStreamEvent> events = decodeReleasing(XmppDecoderConfig.defaults(), reads, released);
            assertTrue(released.get(1), input);
            assertNotNull(violation(events), input);
            assertEquals(decodeWhole(XmppDecoderConfig.defaults(), reads), events, input);
        }
        assertEquals(StreamError.RESTRICTED_XML,
                violation(decodeReleasing(XmppDecoderConfig.defaults(), reads(HEADER, "<presence/>", "<!-- x -->"))).error());
    }

    @Test
    void invalidUtf8AfterReleaseIsNotWellFormed() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER + "<presence/>")));
        assertTrue(decoder.releaseIdleState());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'<', 'a', '>', (byte) 0xC3, (byte) 0x28, '<', '/', 'a', '>'}));
        List<XmppStreamEvent> events = readAll(ch);
        assertEquals(StreamError.NOT_WELL_FORMED, violation(events).error());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void streamCloseAfterReleaseIsRecognised() {
        List<Boolean> released = new ArrayList<>();
        List<XmppStreamEvent> events = decodeReleasing(XmppDecoderConfig.defaults(),
                reads(HEADER, "<presence/>", "</stream:stream>", "<message/>"), released);
        assertEquals(List.of(true, true, false, false), released);
        assertEquals(3, events.size());
        assertInstanceOf(StreamClose.class, events.get(2));
        // Right after the header too, with nothing in between.
        List<XmppStreamEvent> early = decodeReleasing(XmppDecoderConfig.defaults(), reads(HEADER, " </stream:stream>"));
        assertInstanceOf(StreamClose.class, early.get(1));
    }

    @Test
    void parserReleasesAfterADirectBufferAndDecodesTheRest() {
        XmppStreamParser parser = new XmppStreamParser(XmppDecoderConfig.defaults());
        List<XmppStreamEvent> events = new ArrayList<>();
        ByteBuffer direct = ByteBuffer.allocateDirect(1024);
        direct.put(utf8(HEADER + "<presence/>")).flip();
        parser.parse(direct, events::add);
        long position = parser.position();
        assertTrue(parser.releaseIdleState());
        assertEquals(position, parser.position());
        parser.parse(ByteBuffer.wrap(utf8("<message><body>x</body></message></stream:stream>")), events::add);
        assertEquals(4, events.size());
        assertEquals(33, ((StreamElement) events.get(2)).wireBytes());
        assertInstanceOf(StreamClose.class, events.get(3));
        assertEquals(position + 33 + 16, parser.position());
    }
}
