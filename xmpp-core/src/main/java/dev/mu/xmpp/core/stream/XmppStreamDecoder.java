package dev.mu.xmpp.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the inbound bytes of an XML stream into {@link XmppStreamEvent} messages: a thin Netty
 * wrapper of {@link XmppStreamParser}, which it feeds the backing arrays of the received buffers.
 * Direct buffers (as socket reads deliver them) are copied into a pooled heap buffer on arrival,
 * which goes back to the pool once decoded, so an idle connection holds no input buffer.
 *
 * <p>It emits one event per decode step and consumes exactly the bytes of that event, so a handler
 * further down the pipeline that calls {@link #reset()} while handling an event (after
 * {@code <starttls/>}, or when it sends SASL {@code <success/>}) restarts the stream at the right
 * byte. Bytes the peer sent after that event in the same read are discarded with the old stream.
 *
 * <p>No exception escapes: a violation of the stream rules, and any failure of the parser, become a
 * {@link StreamViolation} message (the latter logged, as {@link StreamError#INTERNAL_SERVER_ERROR}),
 * after which the decoder consumes and drops all input until {@link #reset()}. The handler that
 * receives the violation sends the stream error and closes the connection (RFC 6120 §4.9.1.1).
 *
 * <p>Not sharable; {@link #reset()} must be called from the channel's event loop.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-4.3.3">RFC 6120 §4.3.3 (stream restarts)</a>
 */
public final class XmppStreamDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(XmppStreamDecoder.class);

    private final XmppStreamParser parser;
    /** The parser position that corresponds to the reader index of the cumulated input. */
    private long position;
    /** Inside {@link #channelRead}: a reset there drops what is left of the read. */
    private boolean reading;
    private boolean discard;

    /** Creates a decoder with the given limits. */
    public XmppStreamDecoder(XmppDecoderConfig config) {
        this.parser = new XmppStreamParser(config);
        setCumulator(XmppStreamDecoder::cumulateOnHeap);
    }

    /**
     * Appends {@code in} to {@code cumulation} in a buffer with an accessible array: Aalto reads a
     * {@code byte[]} much faster than a direct buffer, and copying a read costs far less than parsing it.
     */
    private static ByteBuf cumulateOnHeap(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        try {
            if (!cumulation.isReadable() && in.hasArray()) {
                cumulation.release();
                return in.retain();
            }
            int length = in.readableBytes();
            if (cumulation.hasArray() && cumulation.refCnt() == 1 && !cumulation.isReadOnly()
                    && cumulation.maxWritableBytes() >= length) {
                return cumulation.writeBytes(in);
            }
            ByteBuf heap = alloc.heapBuffer(cumulation.readableBytes() + length);
            heap.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return heap;
        } finally {
            in.release();
        }
    }

    /**
     * Starts a fresh stream, for the stream restarts of RFC 6120 §5.4.3.3 (TLS) and §6.4.6 (SASL): the
     * next bytes received are decoded as a new stream header. Input already received and not yet
     * decoded belongs to the old stream and is dropped; after {@code <starttls/>} that is exactly what
     * must happen to plaintext sent before the TLS handshake.
     */
    public void reset() {
        parser.reset();
        position = 0;
        discard = reading;
    }

    /**
     * Lets go of the parser's XML reader while the stream rests between first-level elements, see
     * {@link XmppStreamParser#releaseIdleState()}; for connections that have been idle for a while.
     * Must be called from the channel's event loop.
     *
     * @return whether the decoder now holds no reader
     */
    public boolean releaseIdleState() {
        return !reading && actualReadableBytes() == 0 && parser.releaseIdleState();
    }

    /** Whether the decoder holds an XML reader: from its first input until {@link #releaseIdleState()} or {@link #reset()}. */
    public boolean holdsReader() {
        return parser.holdsReader();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        try {
            super.channelRead(ctx, msg);
        } finally {
            reading = false;
            discard = false;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discard) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            for (;;) {
                XmppStreamEvent event = parser.next();
                long p = parser.position();
                if (p > position) {
                    in.skipBytes((int) (p - position));
                    position = p;
                }
                if (event != null) {
                    out.add(event);
                    if (!parser.hasPendingEvent()) {
                        return;
                    }
                } else if (!in.isReadable()) {
                    return;
                } else {
                    parser.feed(in.array(), in.arrayOffset() + in.readerIndex(), in.readableBytes());
                }
            }
        } catch (RuntimeException e) {
            log.error("Decoding the XML stream of {} failed", ctx.channel(), e);
            parser.abort();
            position = parser.position();
            in.skipBytes(in.readableBytes());
            out.add(new StreamViolation(StreamError.INTERNAL_SERVER_ERROR, "internal error while decoding the stream"));
        }
    }
}
