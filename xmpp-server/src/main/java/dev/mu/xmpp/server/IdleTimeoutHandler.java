package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Finds half-open connections: after {@link C2sLimits#pingInterval()} without a byte from the client
 * it asks the session handler to ping (XEP-0199 §4.1, or XEP-0198 {@code <r/>}), and when another
 * interval passes without an answer it ends the stream with {@code connection-timeout} (RFC 6120
 * §4.9.3.4), keeping an XEP-0198 session resumable as a broken connection would.
 *
 * <p>One per connection; runs on its event loop only.
 */
final class IdleTimeoutHandler extends IdleStateHandler {

    IdleTimeoutHandler(Duration interval) {
        super(interval.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() != IdleState.READER_IDLE) {
            return;
        }
        if (evt.isFirst()) {
            ctx.fireUserEventTriggered(KeepalivePing.DUE);
        } else {
            ctx.fireUserEventTriggered(new CloseStreamRequest(StreamError.CONNECTION_TIMEOUT,
                    "No answer to ping", true));
        }
    }
}
