package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes outbound first-level elements (stanzas and nonzas) with an {@link XmppStreamWriter}: a thin
 * Netty wrapper. The stream header and closing tag are written by the session handler with the same
 * writer, as they are not elements.
 *
 * <p>Stateless, so one instance may be shared by all channels of a listener.
 */
@ChannelHandler.Sharable
public final class StanzaEncoder extends MessageToByteEncoder<XmlElement> {

    /** The buffer size for an element that was not written before: most chat messages fit. */
    static final int INITIAL_BUFFER_BYTES = 512;

    private final XmppStreamWriter writer;

    /**
     * Creates an encoder for streams whose default namespace is {@code contentNamespace}.
     *
     * @param contentNamespace {@link StreamNamespaces#CLIENT} or {@link StreamNamespaces#SERVER}
     */
    public StanzaEncoder(String contentNamespace) {
        super(XmlElement.class);
        this.writer = new XmppStreamWriter(contentNamespace);
    }

    /** The writer, for the stream header and closing tag. */
    public XmppStreamWriter writer() {
        return writer;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, XmlElement element, ByteBuf out) {
        writer.writeElement(element, out);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, XmlElement element, boolean preferDirect) {
        // A stanza with cached bytes gets their exact size; others start at a size most stanzas fit in.
        int size = writer.encodedLength(element);
        int initial = size >= 0 ? size : INITIAL_BUFFER_BYTES;
        return preferDirect ? ctx.alloc().ioBuffer(initial) : ctx.alloc().heapBuffer(initial);
    }
}
