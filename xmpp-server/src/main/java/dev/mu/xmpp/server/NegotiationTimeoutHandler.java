package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a stream that has not bound a resource within {@link C2sLimits#negotiationTimeout()} of
 * connecting, with {@code connection-timeout}: a client that trickles bytes (slowloris) cannot hold
 * a connection before authenticating. The session handler removes it from the pipeline once bound.
 *
 * <p>One per connection; runs on its event loop only.
 */
final class NegotiationTimeoutHandler extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    private ScheduledFuture<?> timer;

    NegotiationTimeoutHandler(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timer = ctx.executor().schedule(() -> ctx.fireUserEventTriggered(new CloseStreamRequest(
                StreamError.CONNECTION_TIMEOUT, "Stream negotiation took too long", false)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
