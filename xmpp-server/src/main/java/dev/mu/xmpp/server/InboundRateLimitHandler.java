package dev.mu.xmpp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounds the bytes read from one connection per second with a token bucket
 * ({@link C2sLimits#inboundBytesPerSecond()}, {@link C2sLimits#inboundBurstBytes()}): what was read is
 * always passed on, but once the bucket is empty the channel stops reading
 * ({@code setAutoRead(false)}) until enough time has passed to refill it. TCP flow control then
 * slows the client down; a short burst costs it a pause, never its connection.
 *
 * <p>One per connection; runs on its event loop only. Sits above TLS, so it counts the XML the
 * client sends; a TLS record is at most 16 KiB, which bounds what one read can overdraw.
 */
final class InboundRateLimitHandler extends ChannelInboundHandlerAdapter {

    private final long bytesPerSecond;
    private final long burst;
    private final LongSupplier nanoClock;
    private long tokens;
    private long refilledAt;
    private boolean paused;

    InboundRateLimitHandler(int bytesPerSecond, int burst) {
        this(bytesPerSecond, burst, System::nanoTime);
    }

    InboundRateLimitHandler(int bytesPerSecond, int burst, LongSupplier nanoClock) {
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            refill();
            tokens -= buf.readableBytes();
            if (tokens < 0 && !paused) {
                paused = true;
                ctx.channel().config().setAutoRead(false);
                long waitNanos = -tokens * TimeUnit.SECONDS.toNanos(1) / bytesPerSecond;
                ctx.executor().schedule(() -> resume(ctx), Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void resume(ChannelHandlerContext ctx) {
        paused = false;
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            long add = elapsed * bytesPerSecond / TimeUnit.SECONDS.toNanos(1);
            if (add > 0) {
                tokens = Math.min(burst, tokens + add);
                refilledAt = now;
            }
        }
    }

    /** Whether reading is paused now; for tests. */
    boolean paused() {
        return paused;
    }
}
