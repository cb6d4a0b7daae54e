package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Finds half-open connections: after {@link C2sLimits#pingInterval()} without a byte from the client
 * it asks the session handler to ping (XEP-0199 §4.1, or XEP-0198 {@code <r/>}), and when another
 * interval passes without an answer it ends the stream with {@code connection-timeout} (RFC 6120
 * §4.9.3.4), keeping an XEP-0198 session resumable as a broken connection would. Long before that,
 * after the parser release delay without a byte, it lets the stream decoder drop its XML reader,
 * which it starts again with the next read. The deadlines of all connections of an event loop share
 * one timer, see {@link IdleTimeouts}.
 *
 * <p>One per connection; runs on its event loop only.
 */
final class IdleTimeoutHandler extends ChannelInboundHandlerAdapter {

    private final IdleTimeouts timeouts;
    private ChannelHandlerContext ctx;
    private IdleTimeouts.Loop loop;
    /** When the next ping or timeout is due, in the loop's {@code nanoTime}. */
    long deadline;
    /** Neighbours in the loop's deadline list, and whether it is on the list. */
    IdleTimeoutHandler previous;
    IdleTimeoutHandler next;
    boolean listed;
    private boolean pinged;
    /** Something was read since the last read-complete. */
    private boolean read;

    IdleTimeoutHandler(IdleTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.loop = timeouts.loop(ctx.executor());
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            restart();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        restart();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Anything from the client, a pong included, shows that the connection is alive.
        read = true;
        pinged = false;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Once per batch of reads rather than per message: the deadline moves on by as much.
        if (read && listed) {
            restart();
        }
        read = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        loop.remove(this);
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        loop.remove(this);
    }

    private void restart() {
        deadline = loop.now() + timeouts.intervalNanos();
        loop.moveToEnd(this);
    }

    /** Nothing was read for the parser release delay: the decoder may drop its reader until the next read. */
    void quiet() {
        XmppStreamDecoder decoder = ctx.pipeline().get(XmppStreamDecoder.class);
        if (decoder != null) {
            decoder.releaseIdleState();
        }
    }

    /** The deadline passed: the first time a ping is due, the second time the stream ends. */
    void expired(long now) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!pinged) {
            pinged = true;
            deadline = now + timeouts.intervalNanos();
            loop.moveToEnd(this);
            ctx.fireUserEventTriggered(KeepalivePing.DUE);
        } else {
            ctx.fireUserEventTriggered(new CloseStreamRequest(StreamError.CONNECTION_TIMEOUT,
                    "No answer to ping", true));
        }
    }
}
