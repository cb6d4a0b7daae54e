package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keepalive deadlines on one shared timer: ping after an interval of silence, close after another;
 * the stream decoder's reader released after a shorter silence.
 */
class IdleTimeoutsTest {

    private static final String HEADER = "<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    private final MockTicker ticker = Ticker.newMockTicker();
    private final IdleTimeouts timeouts = new IdleTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(3));

    @Test
    void aSilentConnectionIsPingedThenClosed() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = channel(events);

        elapse(ch, 9);
        assertTrue(events.isEmpty(), "before the interval");
        elapse(ch, 1);
        assertEquals(List.of(KeepalivePing.DUE), events);
        elapse(ch, 10);
        assertEquals(2, events.size());
        CloseStreamRequest close = assertInstanceOf(CloseStreamRequest.class, events.get(1));
        assertEquals(StreamError.CONNECTION_TIMEOUT, close.error());
        assertTrue(close.resumable());
        assertFalse(ch.finish());
    }

    @Test
    void readingMovesTheDeadlineAndAnswersThePing() {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = channel(events);

        elapse(ch, 8);
        ch.writeInbound("stanza");
        elapse(ch, 8);
        assertTrue(events.isEmpty(), "the read moved the deadline");
        elapse(ch, 2);
        assertEquals(List.of(KeepalivePing.DUE), events);
        ch.writeInbound("pong");
        elapse(ch, 9);
        assertEquals(1, events.size(), "the answer restarted the interval");
        elapse(ch, 1);
        assertEquals(List.of(KeepalivePing.DUE, KeepalivePing.DUE), events, "pinged again, not closed");
        ch.finishAndReleaseAll();
    }

    @Test
    void eachConnectionKeepsItsOwnDeadline() {
        List<Object> first = new ArrayList<>();
        List<Object> second = new ArrayList<>();
        EmbeddedChannel a = channel(first);
        elapse(a, 5);
        EmbeddedChannel b = channel(second);

        elapse(a, 5);
        b.runScheduledPendingTasks();
        assertEquals(List.of(KeepalivePing.DUE), first);
        assertTrue(second.isEmpty());
        elapse(b, 5);
        assertEquals(List.of(KeepalivePing.DUE), second);
        a.close();
        elapse(a, 10);
        assertEquals(1, first.size(), "a closed connection is off the list");
        b.finishAndReleaseAll();
    }

    @Test
    void aQuietConnectionsDecoderLetsGoOfItsReaderUntilTheNextRead() {
        List<Object> events = new ArrayList<>();
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = channel(events, decoder);
        ch.writeInbound(Unpooled.copiedBuffer(HEADER + "<presence/>", StandardCharsets.UTF_8));
        assertTrue(decoder.holdsReader());

        elapse(ch, 2);
        assertTrue(decoder.holdsReader(), "before the release delay");
        elapse(ch, 1);
        assertFalse(decoder.holdsReader());

        ch.writeInbound(Unpooled.copiedBuffer("<message><body>hi</body></message>", StandardCharsets.UTF_8));
        assertTrue(decoder.holdsReader());
        elapse(ch, 2);
        assertTrue(decoder.holdsReader(), "the read restarted the delay");
        elapse(ch, 1);
        assertFalse(decoder.holdsReader());
        // Releasing does not move the keepalive: the ping is due an interval after the last read.
        elapse(ch, 6);
        assertTrue(events.isEmpty(), events.toString());
        elapse(ch, 1);
        assertEquals(List.of(KeepalivePing.DUE), events);
        assertEquals(3, readAll(ch).size(), "the stream open, the presence and the message");
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionQuietInsideAStanzaKeepsItsReader() {
        List<Object> events = new ArrayList<>();
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = channel(events, decoder);
        ch.writeInbound(Unpooled.copiedBuffer(HEADER + "<message><bo", StandardCharsets.UTF_8));
        elapse(ch, 5);
        assertTrue(decoder.holdsReader());
        ch.writeInbound(Unpooled.copiedBuffer("dy>hi</body></message>", StandardCharsets.UTF_8));
        elapse(ch, 3);
        assertFalse(decoder.holdsReader(), "released once the stanza is complete and the delay has passed again");
        assertEquals(2, readAll(ch).size());
        ch.finishAndReleaseAll();
    }

    @Test
    void aBusyConnectionKeepsItsReader() {
        List<Object> events = new ArrayList<>();
        XmppStreamDecoder decoder = new XmppStreamDecoder(XmppDecoderConfig.defaults());
        EmbeddedChannel ch = channel(events, decoder);
        ch.writeInbound(Unpooled.copiedBuffer(HEADER, StandardCharsets.UTF_8));
        for (int i = 0; i < 10; i++) {
            elapse(ch, 2);
            assertTrue(decoder.holdsReader(), "after " + (i + 1) * 2 + " s");
            ch.writeInbound(Unpooled.copiedBuffer("<presence/>", StandardCharsets.UTF_8));
        }
        assertEquals(11, readAll(ch).size());
        ch.finishAndReleaseAll();
    }

    private static List<Object> readAll(EmbeddedChannel ch) {
        List<Object> read = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            read.add(o);
        }
        return read;
    }

    private EmbeddedChannel channel(List<Object> events, ChannelHandler... first) {
        List<ChannelHandler> handlers = new ArrayList<>(List.of(first));
        handlers.add(timeouts.newHandler());
        handlers.add(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        return EmbeddedChannel.builder().ticker(ticker).handlers(handlers.toArray(ChannelHandler[]::new)).build();
    }


    private void elapse(EmbeddedChannel ch, int seconds) {
        ticker.advance(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }
}
