package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;

/**
 * Builds the pipeline of one client connection, one handler per concern: connection limit →
 * [TLS] → inbound rate → stream decoder → stanza encoder → idle timeout → outbound buffer limit →
 * negotiation timeout → session.
 */
final class C2sChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String CONNECTION_LIMIT = "connection-limit";
    static final String TLS = "tls";
    static final String RATE_LIMIT = "rate-limit";
    static final String DECODER = "decoder";
    static final String ENCODER = "encoder";
    static final String IDLE = "idle";
    static final String OUTBOUND_LIMIT = "outbound-limit";
    static final String NEGOTIATION_TIMEOUT = "negotiation-timeout";
    static final String SESSION = "session";
    /** Added once a session binds a resource, see {@link C2sSessionHandler}. */
    static final String FLUSH = "flush";

    private final C2sSettings settings;
    private final boolean directTls;
    // One each per listener, shared by its connections, so that idle connections do not each hold a copy.
    private final WriteBufferWaterMark waterMark;
    private final IdleTimeouts idleTimeouts;
    private final OutboundBufferLimitHandler outboundLimit = new OutboundBufferLimitHandler();

    C2sChannelInitializer(C2sSettings settings, boolean directTls) {
        this.settings = settings;
        this.directTls = directTls;
        int high = settings.limits().maxPendingOutboundBytes();
        this.waterMark = new WriteBufferWaterMark(high / 2, high);
        this.idleTimeouts = new IdleTimeouts(settings.limits().pingInterval(), settings.limits().parserReleaseDelay());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        C2sLimits limits = settings.limits();
        ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
        ChannelPipeline p = ch.pipeline();
        p.addLast(CONNECTION_LIMIT, settings.connectionLimit());
        if (directTls) {
            // XEP-0368: TLS from the first byte, no STARTTLS.
            p.addLast(TLS, settings.tls().context().newHandler(ch.alloc()));
        }
        p.addLast(RATE_LIMIT, new InboundRateLimitHandler(limits.inboundBytesPerSecond(), limits.inboundBurstBytes()));
        p.addLast(DECODER, new XmppStreamDecoder(limits.decoder()));
        p.addLast(ENCODER, new StanzaEncoder(Stanza.CLIENT_NS));
        p.addLast(IDLE, idleTimeouts.newHandler());
        p.addLast(OUTBOUND_LIMIT, outboundLimit);
        p.addLast(NEGOTIATION_TIMEOUT, new NegotiationTimeoutHandler(limits.negotiationTimeout()));
        p.addLast(SESSION, new C2sSessionHandler(settings, directTls));
    }
}
