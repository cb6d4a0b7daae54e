package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamError;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the open client connections from one IP address ({@link C2sLimits#maxConnectionsPerAddress()}):
 * a connection past the limit is answered with a {@code policy-violation} stream error and closed, and
 * nothing it sends is processed.
 *
 * <p>Shared by every client listener of a server, and thread-safe.
 */
@ChannelHandler.Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimitHandler.class);

    private final int max;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    ConnectionLimitHandler(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = address(ctx.channel().remoteAddress());
        if (address != null) {
            int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
            if (count > max) {
                log.info("xmpp c2s connection limit ({}) reached for {}", max, address.getHostAddress());
                super.channelActive(ctx);
                ctx.fireUserEventTriggered(new CloseStreamRequest(StreamError.POLICY_VIOLATION,
                        "Too many connections from your address", false));
                return;
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = address(ctx.channel().remoteAddress());
        if (address != null) {
            // Removing the entry at zero keeps the map as small as the addresses connected now.
            open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        super.channelInactive(ctx);
    }

    /** Connections open from the address now. */
    int connections(InetAddress address) {
        AtomicInteger n = open.get(address);
        return n == null ? 0 : n.get();
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
