package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Back-pressure instead of disconnection: past the burst the channel stops reading, everything read is passed on. */
class InboundRateLimitHandlerTest {

    @Test
    void pastTheBurstReadingPausesAndEverythingReadIsPassedOn() {
        AtomicLong now = new AtomicLong();
        InboundRateLimitHandler limit = new InboundRateLimitHandler(1000, 2000, now::get);
        EmbeddedChannel ch = new EmbeddedChannel(limit);

        ch.writeInbound(Unpooled.wrappedBuffer(new byte[1500]));
        assertTrue(ch.config().isAutoRead(), "within the burst");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[1500]));
        assertFalse(ch.config().isAutoRead(), "1000 bytes over the burst at 1000 B/s");
        assertTrue(limit.paused());

        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.config().isAutoRead(), "reading resumes once the deficit is paid");

        int passed = 0;
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            passed += b.readableBytes();
            b.release();
        }
        assertEquals(3000, passed);
        assertFalse(ch.finish());
    }
}
