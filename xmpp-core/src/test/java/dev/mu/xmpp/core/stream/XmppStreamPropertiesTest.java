package dev.mu.xmpp.core.stream;

import static dev.mu.xmpp.core.stream.StreamTestSupport.HEADER;
import static dev.mu.xmpp.core.stream.StreamTestSupport.readAll;
import static dev.mu.xmpp.core.stream.StreamTestSupport.resource;
import static dev.mu.xmpp.core.stream.StreamTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class XmppStreamPropertiesTest {

    private static final byte[] SESSION = resource("c2s-session.xml");
    private static final List<XmppStreamEvent> SESSION_EVENTS = StreamTestSupport.decode(SESSION, Integer.MAX_VALUE);

    // (a) Any chunking of a valid stream decodes to the same events, even when split inside a
    // multi-byte UTF-8 character.

    @Property
    void anyChunkingDecodesToTheSameEvents(@ForAll("splits") List<Integer> splits) {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(XmppDecoderConfig.defaults()));
        StreamTestSupport.writeSplit(ch, SESSION, splits);
        assertEquals(SESSION_EVENTS, readAll(ch));
        assertFalse(ch.finish());
    }

    // The same holds when the decoder lets go of its reader after every read it can, whether reads end
    // anywhere or after every tag, which is wherever a stanza can end.

    @Property
    void releasingAfterAnyReadDecodesToTheSameEvents(@ForAll("splits") List<Integer> splits, @ForAll boolean atTags) {
        List<Integer> cuts = new ArrayList<>(splits);
        if (atTags) {
            for (int i = 0; i < SESSION.length; i++) {
                if (SESSION[i] == '>') {
                    cuts.add(i + 1);
                }
            }
        }
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        int start = 0;
        int released = 0;
        for (int end : ends(cuts.stream().sorted().distinct().toList())) {
            if (end > start) {
                ch.writeInbound(Unpooled.copiedBuffer(SESSION, start, end - start));
                released += decoder.releaseIdleState() ? 1 : 0;
                start = end;
            }
        }
        assertEquals(SESSION_EVENTS, readAll(ch));
        assertFalse(ch.finish());
        if (atTags) {
            assertTrue(released >= SESSION_EVENTS.size() - 2, "released " + released);
        }
    }

    // The same holds whatever carries the bytes: direct buffers, which the decoder copies to the heap,
    // and heap buffers whose bytes start inside a larger array, as pooled buffers' and slices' do.

    @Property
    void anyBuffersDecodeToTheSameEvents(@ForAll("splits") List<Integer> splits, @ForAll boolean direct,
                                         @ForAll @IntRange(max = 16) int offset) {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(XmppDecoderConfig.defaults()));
        int start = 0;
        for (int end : ends(splits)) {
            int n = end - start;
            ByteBuf buf;
            if (direct) {
                buf = Unpooled.directBuffer(n).writeBytes(SESSION, start, n);
            } else {
                byte[] padded = new byte[offset + n];
                System.arraycopy(SESSION, start, padded, offset, n);
                buf = Unpooled.wrappedBuffer(padded, offset, n);
            }
            ch.writeInbound(buf);
            start = end;
        }
        assertEquals(SESSION_EVENTS, readAll(ch));
        assertFalse(ch.finish());
    }

    @Property
    void theParserDecodesAnyByteBuffersAlike(@ForAll("splits") List<Integer> splits, @ForAll boolean direct,
                                             @ForAll @IntRange(max = 16) int offset) {
        XmppStreamParser parser = new XmppStreamParser(XmppDecoderConfig.defaults());
        List<XmppStreamEvent> events = new ArrayList<>();
        int start = 0;
        for (int end : ends(splits)) {
            int n = end - start;
            ByteBuffer buf;
            if (direct) {
                buf = ByteBuffer.allocateDirect(n).put(SESSION, start, n).flip();
            } else {
                byte[] padded = new byte[offset + n];
                System.arraycopy(SESSION, start, padded, offset, n);
                buf = ByteBuffer.wrap(padded, offset, n);
            }
            parser.parse(buf, events::add);
            assertFalse(buf.hasRemaining());
            start = end;
        }
        assertEquals(SESSION_EVENTS, events);
    }

    /** The ends of the pieces that {@code splits} cut {@link #SESSION} into. */
    private static List<Integer> ends(List<Integer> splits) {
        List<Integer> ends = new ArrayList<>(splits);
        ends.add(SESSION.length);
        return ends;
    }

    @Example
    void sessionFixtureDecodesCompletely() {
        assertEquals(10, SESSION_EVENTS.size());
        assertTrue(SESSION_EVENTS.get(9) instanceof StreamClose);
    }

    @Provide
    Arbitrary<List<Integer>> splits() {
        return Arbitraries.integers().between(1, SESSION.length - 1).list().ofMaxSize(64)
                .map(l -> l.stream().sorted().distinct().toList());
    }

    // (b) Encoding then decoding is the identity.

    @Property
    void encodeThenDecodeIsTheIdentity(@ForAll("elements") XmlElement element,
                                       @ForAll @IntRange(min = 1, max = 64) int chunk) {
        XmppStreamWriter writer = new XmppStreamWriter(StreamNamespaces.CLIENT);
        byte[] data = utf8(HEADER + writer.toXml(element) + "</stream:stream>");
        List<XmppStreamEvent> events = StreamTestSupport.decode(data, chunk);
        assertEquals(3, events.size(), () -> events.toString());
        assertEquals(element, ((StreamElement) events.get(1)).element());
    }

    @Provide
    Arbitrary<XmlElement> elements() {
        return element(3);
    }

    private Arbitrary<XmlElement> element(int depth) {
        Arbitrary<String> namespace = Arbitraries.of(XmlElement.CONTENT_NS, XmlElement.CONTENT_NS, "urn:a", "urn:b:c",
                "http://example.com/ns?a=1&b='2'<");
        Arbitrary<List<XmlAttribute>> attributes = attribute().list().ofMaxSize(4);
        Arbitrary<List<Object>> children = depth == 0
                ? text().map(t -> List.<Object>of(t))
                : Arbitraries.oneOf(text(), element(depth - 1)).list().ofMaxSize(4);
        return Combinators.combine(namespace, name(), attributes, children).as((ns, name, attrs, kids) -> {
            XmlElement.Builder b = XmlElement.builder(ns, name);
            for (XmlAttribute a : attrs) {
                b.attribute(a.namespace(), a.name(), a.value());
            }
            // The decoder joins adjacent text, so the generated trees never have two text nodes in a row.
            StringBuilder text = new StringBuilder();
            for (Object kid : kids) {
                if (kid instanceof String s) {
                    text.append(s);
                } else {
                    b.text(text.toString());
                    text.setLength(0);
                    b.child((XmlElement) kid);
                }
            }
            return b.text(text.toString()).build();
        });
    }

    private Arbitrary<XmlAttribute> attribute() {
        Arbitrary<XmlAttribute> plain = Combinators.combine(name(), text())
                .as((n, v) -> new XmlAttribute("", n, v));
        Arbitrary<XmlAttribute> lang = text().map(v -> new XmlAttribute(XmlElement.XML_NS, "lang", v));
        Arbitrary<XmlAttribute> qualified = Combinators.combine(Arbitraries.of("urn:attr", "urn:a"), name(), text())
                .as(XmlAttribute::new);
        return Arbitraries.frequencyOf(
                Tuple.of(6, plain), Tuple.of(1, lang), Tuple.of(2, qualified));
    }

    private Arbitrary<String> name() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(6),
                Arbitraries.of("message", "body", "x-y", "z.1", "_u", "é", "名前", "a1"));
    }

    private Arbitrary<String> text() {
        return Arbitraries.of("a", "b", " ", "&", "<", ">", "]]>", "\"", "'", "\t", "\n", "\r", "\r\n",
                        "é", "☃", "𝄞", "&amp;", "你好")
                .list().ofMaxSize(8).map(parts -> String.join("", parts));
    }

    // (c) Arbitrary input only ever yields events ending in a violation, or nothing; never an exception.

    @Property
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 512) byte[] data,
                                  @ForAll @IntRange(min = 1, max = 128) int chunk) {
        assertWellBehaved(data, chunk);
    }

    @Property
    void arbitraryBytesAfterAValidHeaderNeverThrow(@ForAll @Size(max = 512) byte[] tail,
                                                   @ForAll @IntRange(min = 1, max = 128) int chunk) {
        byte[] header = utf8(HEADER);
        byte[] data = new byte[header.length + tail.length];
        System.arraycopy(header, 0, data, 0, header.length);
        System.arraycopy(tail, 0, data, header.length, tail.length);
        assertWellBehaved(data, chunk);
    }

    @Property
    void mutatedStreamsNeverThrow(@ForAll("mutations") List<int[]> mutations,
                                  @ForAll @IntRange(min = 1, max = 256) int chunk) {
        List<Byte> bytes = new ArrayList<>(SESSION.length);
        for (byte b : SESSION) {
            bytes.add(b);
        }
        for (int[] m : mutations) {
            int at = m[1] % (bytes.size() + 1);
            switch (m[0]) {
                case 0 -> {
                    if (at < bytes.size()) {
                        bytes.set(at, (byte) m[2]);
                    }
                }
                case 1 -> bytes.add(at, (byte) m[2]);
                default -> {
                    if (at < bytes.size()) {
                        bytes.remove(at);
                    }
                }
            }
        }
        byte[] data = new byte[bytes.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = bytes.get(i);
        }
        assertWellBehaved(data, chunk);
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        Arbitrary<int[]> mutation = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, SESSION.length),
                Arbitraries.of((int) '<', (int) '>', (int) '&', (int) '/', (int) '\'', (int) '!', (int) '?', 0x00,
                        0x80, 0xC3, 0xE2, 0xF0, 0xFF, (int) ':', (int) '-', (int) ';'))
                .as((kind, at, value) -> new int[] {kind, at, value});
        return mutation.list().ofMinSize(1).ofMaxSize(4);
    }

    private static void assertWellBehaved(byte[] data, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(XmppDecoderConfig.defaults()));
        // EmbeddedChannel rethrows anything that escapes the pipeline.
        StreamTestSupport.write(ch, data, chunk);
        List<XmppStreamEvent> events = readAll(ch);
        for (int i = 0; i < events.size(); i++) {
            XmppStreamEvent e = events.get(i);
            if (e instanceof StreamViolation v) {
                assertEquals(events.size() - 1, i, "nothing follows a violation");
                assertTrue(v.error() != StreamError.INTERNAL_SERVER_ERROR, "no internal failure: " + v);
            }
            if (e instanceof StreamClose) {
                assertEquals(events.size() - 1, i, "nothing follows the close");
            }
        }
        assertFalse(ch.finish());
    }
}
