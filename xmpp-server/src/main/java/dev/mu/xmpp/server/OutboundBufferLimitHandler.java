package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamError;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the stream of a client that does not read what the server writes: the channel's high write
 * buffer water mark is {@link C2sLimits#maxPendingOutboundBytes()}, and when the pending bytes reach
 * it the stream is closed with {@code policy-violation}, so that a slow reader cannot make the server
 * hold its stanzas in memory without bound. With XEP-0198 the session stays resumable and keeps the
 * unacknowledged stanzas, bounded by their own limit.
 *
 * <p>Stateless: one is shared by the connections of a listener.
 */
@ChannelHandler.Sharable
final class OutboundBufferLimitHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(OutboundBufferLimitHandler.class);

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isWritable() && ctx.channel().isActive()) {
            log.info("xmpp c2s {} does not read: {} bytes pending", ctx.channel().remoteAddress(),
                    ctx.channel().unsafe().outboundBuffer() == null ? 0 : ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes());
            ctx.fireUserEventTriggered(new CloseStreamRequest(StreamError.POLICY_VIOLATION,
                    "Too much data waiting for you to read it", true));
        }
        super.channelWritabilityChanged(ctx);
    }
}
