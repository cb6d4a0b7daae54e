package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Builds the pipeline of one inbound server connection: [TLS] → decoder → encoder → idle timer → stream. */
final class S2sChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String TLS = "tls";
    static final String DECODER = "decoder";
    static final String ENCODER = "encoder";
    static final String IDLE = "idle";

    private final S2sConnections connections;
    private final boolean directTls;

    S2sChannelInitializer(S2sConnections connections, boolean directTls) {
        this.connections = connections;
        this.directTls = directTls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        S2sSettings settings = connections.settings();
        ChannelPipeline p = ch.pipeline();
        if (directTls) {
            // XEP-0368 §3: TLS from the first byte, no STARTTLS.
            p.addLast(TLS, settings.tls().s2sServerContext().newHandler(ch.alloc()));
        }
        p.addLast(DECODER, new XmppStreamDecoder(settings.decoderConfig()));
        p.addLast(ENCODER, new StanzaEncoder(Stanza.SERVER_NS));
        p.addLast(IDLE, new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("session", new S2sInboundHandler(connections, directTls));
    }
}
