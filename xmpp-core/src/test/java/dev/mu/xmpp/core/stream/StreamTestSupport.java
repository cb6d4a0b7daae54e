package dev.mu.xmpp.core.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Feeds bytes through an {@link XmppStreamDecoder} in an {@link EmbeddedChannel}. */
final class StreamTestSupport {

    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    private StreamTestSupport() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] resource(String name) {
        try (InputStream in = StreamTestSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code data} in chunks of {@code chunk} bytes; the decoder releases each buffer. */
    static void write(EmbeddedChannel ch, byte[] data, int chunk) {
        for (int i = 0; i < data.length; i += chunk) {
            int n = Math.min(chunk, data.length - i);
            ch.writeInbound(Unpooled.copiedBuffer(data, i, n));
        }
    }

    /** Writes {@code data} split at the given (sorted, in-range) offsets. */
    static void writeSplit(EmbeddedChannel ch, byte[] data, List<Integer> splits) {
        int start = 0;
        for (int split : splits) {
            if (split > start && split < data.length) {
                ch.writeInbound(Unpooled.copiedBuffer(data, start, split - start));
                start = split;
            }
        }
        ch.writeInbound(Unpooled.copiedBuffer(data, start, data.length - start));
    }

    static List<XmppStreamEvent> readAll(EmbeddedChannel ch) {
        List<XmppStreamEvent> events = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            events.add((XmppStreamEvent) o);
        }
        return events;
    }

    /** Decodes {@code data} in chunks of {@code chunk} bytes and finishes the channel. */
    static List<XmppStreamEvent> decode(XmppDecoderConfig config, byte[] data, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(config));
        write(ch, data, chunk);
        List<XmppStreamEvent> events = readAll(ch);
        ch.finishAndReleaseAll();
        return events;
    }

    static List<XmppStreamEvent> decode(byte[] data, int chunk) {
        return decode(XmppDecoderConfig.defaults(), data, chunk);
    }

    static List<XmppStreamEvent> decode(String data) {
        return decode(utf8(data), Integer.MAX_VALUE);
    }

    /** The violation that ends {@code events}, or {@code null}. */
    static StreamViolation violation(List<XmppStreamEvent> events) {
        return !events.isEmpty() && events.get(events.size() - 1) instanceof StreamViolation v ? v : null;
    }
}
