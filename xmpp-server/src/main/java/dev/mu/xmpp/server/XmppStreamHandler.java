package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamElement;
import dev.mu.xmpp.core.stream.StreamOpen;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppStreamEvent;
import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Hands one stream's decoder events to the stage logic of a client or server stream, and ignores
 * them once that stream is closing.
 *
 * <p>Runs on the channel's event loop only.
 */
abstract class XmppStreamHandler extends SimpleChannelInboundHandler<XmppStreamEvent> {

    XmppStreamHandler() {
        super(XmppStreamEvent.class);
    }

    @Override
    protected final void channelRead0(ChannelHandlerContext ctx, XmppStreamEvent event) {
        if (closing()) {
            return;
        }
        if (event instanceof StreamElement e) {
            element(e.element());
        } else if (event instanceof StreamOpen open) {
            opened(open);
        } else if (event instanceof StreamViolation v) {
            violated(v);
        } else {
            closedByPeer();
        }
    }

    /** Whether the stream is being closed, after which input is ignored. */
    abstract boolean closing();

    /** The peer opened (or, after a restart, reopened) the stream. */
    abstract void opened(StreamOpen open);

    /** A first-level element arrived. */
    abstract void element(XmlElement element);

    /** The input broke a rule of RFC 6120 or a limit; the stream must end with that error. */
    abstract void violated(StreamViolation violation);

    /** The peer closed the stream with {@code </stream:stream>}. */
    abstract void closedByPeer();
}
