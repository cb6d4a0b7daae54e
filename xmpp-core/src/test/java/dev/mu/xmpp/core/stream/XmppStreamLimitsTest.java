package dev.mu.xmpp.core.stream;

import static dev.mu.xmpp.core.stream.StreamTestSupport.HEADER;
import static dev.mu.xmpp.core.stream.StreamTestSupport.decode;
import static dev.mu.xmpp.core.stream.StreamTestSupport.readAll;
import static dev.mu.xmpp.core.stream.StreamTestSupport.utf8;
import static dev.mu.xmpp.core.stream.StreamTestSupport.violation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmppStreamLimitsTest {

    @Test
    void defaultsAreDocumented() {
        XmppDecoderConfig c = XmppDecoderConfig.defaults();
        assertEquals(256 * 1024, c.maxStanzaBytes());
        assertEquals(32, c.maxDepth());
        assertEquals(64, c.maxAttributes());
        assertEquals(64 * 1024, c.maxTextLength());
        assertEquals(c.maxDepth(), c.toBuilder().build().maxDepth());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 4096})
    void stanzaAtTheLimitPassesAndOneByteMoreIsRefused(int chunk) {
        String stanza = "<message><body>" + "x".repeat(100) + "</body></message>";
        int size = stanza.length();
        XmppDecoderConfig exact = XmppDecoderConfig.builder().maxStanzaBytes(size).build();
        List<XmppStreamEvent> ok = decode(exact, utf8(HEADER + stanza + stanza), chunk);
        assertEquals(3, ok.size());
        assertEquals(size, ((StreamElement) ok.get(2)).wireBytes());

        XmppDecoderConfig tight = XmppDecoderConfig.builder().maxStanzaBytes(size - 1).build();
        List<XmppStreamEvent> refused = decode(tight, utf8(HEADER + stanza), chunk);
        assertEquals(StreamError.POLICY_VIOLATION, violation(refused).error());
        assertEquals(2, refused.size());
    }

    @Test
    void whitespaceBeforeAStanzaCountsTowardsIt() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxStanzaBytes(64).build();
        assertEquals(StreamError.POLICY_VIOLATION,
                violation(decode(config, utf8(HEADER + " ".repeat(60) + "<presence/>"), 1000)).error());
    }

    @Test
    void whitespaceFloodIsRefused() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxStanzaBytes(1024).build();
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(config));
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER)));
        assertInstanceOf(StreamOpen.class, ch.readInbound());
        byte[] spaces = utf8(" ".repeat(100));
        // Aalto reports whitespace once it sees what follows it, so a flood without end must be cut off.
        int written = 0;
        Object event = null;
        while (event == null && written < 100_000) {
            ch.writeInbound(Unpooled.wrappedBuffer(spaces));
            written += spaces.length;
            event = ch.readInbound();
        }
        assertEquals(StreamError.POLICY_VIOLATION, ((StreamViolation) event).error());
        assertTrue(written <= 1024 + 100 * 2, "written " + written);
        assertFalse(ch.finish());
    }

    @Test
    void keepalivesBetweenStanzasStartOverAfterEachStanza() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxStanzaBytes(64).build();
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(config));
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER)));
        for (int i = 0; i < 1000; i++) {
            ch.writeInbound(Unpooled.copiedBuffer(utf8(i % 50 == 49 ? "<presence/>" : " ")));
        }
        List<XmppStreamEvent> events = readAll(ch);
        assertNull(violation(events));
        assertEquals(21, events.size());
        assertEquals(49 + 11, ((StreamElement) events.get(1)).wireBytes());
        assertFalse(ch.finish());
    }

    @Test
    void oversizedHeaderIsRefused() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxHeaderBytes(200).build();
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='"
                + "a".repeat(300) + "'>";
        assertEquals(StreamError.POLICY_VIOLATION, violation(decode(config, utf8(header), 17)).error());
        assertInstanceOf(StreamOpen.class, decode(XmppDecoderConfig.defaults(), utf8(header), 17).get(0));
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxDepth(4).build();
        String four = "<message><a xmlns='urn:x'><b><c/></b></a></message>";
        assertInstanceOf(StreamElement.class, decode(config, utf8(HEADER + four), 3).get(1));
        String five = "<message><a xmlns='urn:x'><b><c><d/></c></b></a></message>";
        assertEquals(StreamError.POLICY_VIOLATION, violation(decode(config, utf8(HEADER + five), 3)).error());
        String deep = "<a>".repeat(10_000);
        assertEquals(StreamError.POLICY_VIOLATION, violation(decode(utf8(HEADER + deep), 512)).error());
    }

    @Test
    void tooManyAttributesAreRefused() {
        // The header has four: xmlns, xmlns:stream, to, version.
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxAttributes(4).build();
        assertInstanceOf(StreamElement.class, decode(config, utf8(HEADER + "<iq a='1' b='2' c='3' d='4'/>"), 5).get(1));
        assertEquals(StreamError.POLICY_VIOLATION,
                violation(decode(config, utf8(HEADER + "<iq a='1' b='2' c='3' d='4' e='5'/>"), 5)).error());
        // Namespace declarations count too: each costs the parser a binding.
        assertEquals(StreamError.POLICY_VIOLATION,
                violation(decode(config, utf8(HEADER + "<iq xmlns:p='1' xmlns:q='2' a='1' b='2' c='3'/>"), 5)).error());
    }

    @Test
    void longAttributeValueIsRefused() {
        // The longest value in the header is 'example.com', 11 characters.
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxAttributeValueLength(11).build();
        assertInstanceOf(StreamElement.class, decode(config, utf8(HEADER + "<iq id='0123456789a'/>"), 3).get(1));
        assertEquals(StreamError.POLICY_VIOLATION,
                violation(decode(config, utf8(HEADER + "<iq id='0123456789ab'/>"), 3)).error());
    }

    @Test
    void textIsCountedOverAllItsPieces() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxTextLength(1000).build();
        String ok = "<message><body>" + "é".repeat(500) + "&amp;".repeat(500) + "</body></message>";
        List<XmppStreamEvent> events = decode(config, utf8(HEADER + ok), 7);
        assertEquals(1000, ((StreamElement) events.get(1)).element().firstChild(XmlElement.CONTENT_NS, "body")
                .text().length());
        String tooLong = "<message><body>" + "é".repeat(500) + "<![CDATA[x]]>" + "&amp;".repeat(500) + "</body></message>";
        assertEquals(StreamError.POLICY_VIOLATION, violation(decode(config, utf8(HEADER + tooLong), 7)).error());
    }

    @Test
    void longNamesAreRefused() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxNameLength(16).build();
        assertEquals(StreamError.POLICY_VIOLATION,
                violation(decode(config, utf8(HEADER + "<" + "m".repeat(17) + "/>"), 4)).error());
        assertEquals(StreamError.POLICY_VIOLATION,
                violation(decode(config, utf8(HEADER + "<iq " + "a".repeat(17) + "='1'/>"), 4)).error());
        assertEquals(StreamError.POLICY_VIOLATION,
                violation(decode(config, utf8(HEADER + "<iq><q xmlns='urn:" + "n".repeat(20) + "'/></iq>"), 4)).error());
    }

    @Test
    void hundredMegabyteStanzaIsRefusedOncePastTheLimitWithoutBufferingIt() {
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER + "<message><body>")));
        assertInstanceOf(StreamOpen.class, ch.readInbound());

        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        long total = 100L * 1024 * 1024;
        long written = 0;
        StreamViolation violation = null;
        while (written < total) {
            ByteBuf buf = Unpooled.wrappedBuffer(chunk);
            ch.writeInbound(buf);
            assertEquals(0, buf.refCnt(), "the decoder releases every buffer");
            written += chunk.length;
            Object event = ch.readInbound();
            if (event != null) {
                violation = (StreamViolation) event;
                break;
            }
        }
        assertNotNull(violation);
        assertEquals(StreamError.POLICY_VIOLATION, violation.error());
        // Refused within one chunk of crossing the limit (text limit 64 KiB or stanza limit 256 KiB),
        // not after reading 100 MB.
        assertTrue(written <= XmppDecoderConfig.DEFAULT_MAX_STANZA_BYTES + chunk.length, "written " + written);
        // Everything after is dropped without effect.
        for (int i = 0; i < 16; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
        }
        assertNull(ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void hugeAttributeValueIsRefusedAtTheStanzaLimit() {
        XmppDecoderConfig config = XmppDecoderConfig.builder().maxStanzaBytes(10_000).maxAttributeValueLength(1 << 20).build();
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(config));
        ch.writeInbound(Unpooled.copiedBuffer(utf8(HEADER + "<message id='")));
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) 'v');
        int written = 0;
        Object event = ch.readInbound();
        assertInstanceOf(StreamOpen.class, event);
        event = null;
        while (event == null) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            written += chunk.length;
            event = ch.readInbound();
        }
        assertEquals(StreamError.POLICY_VIOLATION, ((StreamViolation) event).error());
        assertTrue(written <= 10_000 + chunk.length);
        assertFalse(ch.finish());
    }
}
