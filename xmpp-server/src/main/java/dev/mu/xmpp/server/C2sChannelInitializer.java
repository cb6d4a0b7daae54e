package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;

/** Builds the pipeline of one client connection: [TLS] → stream decoder → stanza encoder → session. */
final class C2sChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String TLS = "tls";
    static final String DECODER = "decoder";
    static final String ENCODER = "encoder";
    /** Added once a session binds a resource, see {@link C2sSessionHandler}. */
    static final String FLUSH = "flush";

    private final C2sSettings settings;
    private final boolean directTls;

    C2sChannelInitializer(C2sSettings settings, boolean directTls) {
        this.settings = settings;
        this.directTls = directTls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (directTls) {
            // XEP-0368: TLS from the first byte, no STARTTLS.
            p.addLast(TLS, settings.tls().context().newHandler(ch.alloc()));
        }
        p.addLast(DECODER, new XmppStreamDecoder(settings.decoderConfig()));
        p.addLast(ENCODER, new StanzaEncoder(Stanza.CLIENT_NS));
        p.addLast("session", new C2sSessionHandler(settings, directTls));
    }
}
