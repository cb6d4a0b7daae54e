package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.stream.StreamError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Keepalive deadlines on one shared timer: ping after an interval of silence, close after another. */
class IdleTimeoutsTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final IdleTimeouts timeouts = new IdleTimeouts(Duration.ofSeconds(10));

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

    private EmbeddedChannel channel(List<Object> events) {
        return EmbeddedChannel.builder().ticker(ticker).handlers(timeouts.newHandler(), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        }).build();
    }

    private void elapse(EmbeddedChannel ch, int seconds) {
        ticker.advance(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }
}
