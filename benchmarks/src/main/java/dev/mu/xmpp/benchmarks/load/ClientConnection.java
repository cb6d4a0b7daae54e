package dev.mu.xmpp.benchmarks.load;

import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.StreamClose;
import dev.mu.xmpp.core.stream.StreamElement;
import dev.mu.xmpp.core.stream.StreamNamespaces;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import dev.mu.xmpp.core.stream.XmppStreamEvent;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One simulated client: negotiates the stream (RFC 6120 §4–§7: STARTTLS unless disabled, SASL,
 * resource binding, the legacy session where a server requires it), sends initial presence
 * (RFC 6121 §4.2), then sends the messages its driver asks for and records those it receives.
 *
 * <p>A message body is the sender's {@link System#nanoTime()} stamp in decimal, so delivery latency is
 * measured in this process without clock synchronisation. The messages are written as raw bytes,
 * so that the generator spends its CPU on receiving rather than on composing them.
 *
 * <p>Runs on its channel's event loop only, including {@link #sendMessage} and {@link #flush}.
 */
final class ClientConnection extends SimpleChannelInboundHandler<XmppStreamEvent> {

    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";

    private static final String DECODER = "decoder";
    /**
     * One configuration for every connection, so that their parsers share Aalto's symbol tables: one
     * per connection cost each login a fresh table and the interning of every name in it.
     */
    private static final XmppDecoderConfig DECODER_CONFIG = XmppDecoderConfig.defaults();
    private static final byte[] MESSAGE_END = "</body></message>".getBytes(StandardCharsets.US_ASCII);

    /** What the generator learns about a connection. Called on the connection's event loop. */
    interface Listener {
        /** The session is bound and initial presence has been sent. */
        void online(ClientConnection connection);

        /** The connection is closed, whether it ever got online or not. */
        void ended(ClientConnection connection);
    }

    private final LoadOptions options;
    private final LoadStats stats;
    private final Map<String, byte[][]> scramKeys;
    private final SslContext tlsContext;
    private final Listener listener;
    private final int user;
    private final long startNanos = System.nanoTime();
    private Channel channel;
    private boolean tlsDone;
    private boolean authenticated;
    private boolean sessionRequired;
    private ScramClient scram;
    private boolean online;
    private boolean closing;
    private boolean dirty;

    /**
     * A client for user {@code user} (counted from 1).
     *
     * @param tlsContext a client context, or {@code null} with {@code --no-tls}
     */
    ClientConnection(LoadOptions options, LoadStats stats, Map<String, byte[][]> scramKeys, SslContext tlsContext,
                     Listener listener, int user) {
        super(XmppStreamEvent.class);
        this.options = options;
        this.stats = stats;
        this.scramKeys = scramKeys;
        this.tlsContext = tlsContext;
        this.listener = listener;
        this.user = user;
    }

    /** Builds the pipeline: stream decoder → element encoder → this. */
    void initPipeline(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(DECODER, new XmppStreamDecoder(DECODER_CONFIG));
        p.addLast("encoder", new StanzaEncoder(StreamNamespaces.CLIENT));
        p.addLast("client", this);
    }

    /** The channel, once connected; {@code null} before. */
    Channel channel() {
        return channel;
    }

    /** The user number, counted from 1. */
    int user() {
        return user;
    }

    /** Whether the session is online and the socket accepts writes without queueing much. */
    boolean writable() {
        return online && !closing && channel.isWritable();
    }

    /**
     * Writes one chat message without flushing.
     *
     * @param head  {@code <message ...><body>} for the recipient
     * @param stamp the send time to put in the body
     */
    void sendMessage(byte[] head, long stamp) {
        ByteBuf out = channel.alloc().ioBuffer(head.length + 20 + MESSAGE_END.length);
        out.writeBytes(head);
        out.writeCharSequence(Long.toString(stamp), StandardCharsets.US_ASCII);
        out.writeBytes(MESSAGE_END);
        channel.write(out, channel.voidPromise());
        dirty = true;
    }

    /** Flushes what {@link #sendMessage} wrote since the last flush. */
    void flush() {
        if (dirty) {
            dirty = false;
            channel.flush();
        }
    }

    /** Ends the stream (RFC 6120 §4.4) and closes the connection. */
    void close() {
        if (closing || channel == null) {
            return;
        }
        closing = true;
        if (channel.isActive()) {
            ByteBuf out = channel.alloc().buffer(32);
            encoder().writer().writeStreamClose(out);
            channel.writeAndFlush(out);
        }
        channel.close();
    }

    /** Whether {@link #close()} was called. */
    boolean closing() {
        return closing;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        writeHeader();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!closing) {
            closing = true;
            stats.unexpectedCloses.increment();
            stats.problem(options.user(user) + ": connection closed by the server");
        }
        listener.ended(this);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.problem(options.user(user) + ": " + cause);
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, XmppStreamEvent event) {
        if (event instanceof StreamElement e) {
            element(e.element());
        } else if (event instanceof StreamViolation v) {
            fail(stats.streamErrors, "stream violation from the server: " + v.error().elementName() + " " + v.text());
        } else if (event instanceof StreamClose) {
            if (!closing) {
                fail(stats.unexpectedCloses, "stream closed by the server");
            }
        }
    }

    private void element(XmlElement e) {
        if (e.is(XmlElement.CONTENT_NS, "message")) {
            message(e);
        } else if (e.is(XmlElement.CONTENT_NS, "iq")) {
            iq(e);
        } else if (e.is(StreamNamespaces.STREAMS, "features")) {
            features(e);
        } else if (e.is(SASL_NS, "challenge")) {
            challenge(e);
        } else if (e.is(SASL_NS, "success")) {
            success(e);
        } else if (e.is(SASL_NS, "failure")) {
            fail(stats.authErrors, "authentication failed: " + e);
        } else if (e.is(TLS_NS, "proceed")) {
            startTls();
        } else if (e.is(StreamNamespaces.STREAMS, "error") || e.is(TLS_NS, "failure")) {
            fail(stats.streamErrors, "stream error: " + e);
        }
    }

    private void message(XmlElement e) {
        if ("error".equals(e.attribute("type"))) {
            stats.stanzaErrors.increment();
            stats.problem(options.user(user) + ": message error: " + e);
            return;
        }
        XmlElement body = e.firstChild(XmlElement.CONTENT_NS, "body");
        if (body != null) {
            try {
                stats.delivered(Long.parseLong(body.text().trim()));
            } catch (NumberFormatException ex) {
                stats.problem(options.user(user) + ": unexpected message body: " + body.text());
            }
        }
    }

    private void iq(XmlElement e) {
        String type = e.attribute("type");
        String id = e.attribute("id");
        if ("error".equals(type)) {
            fail(stats.stanzaErrors, "iq error: " + e);
        } else if ("result".equals(type) && "bind".equals(id)) {
            if (sessionRequired) {
                channel.writeAndFlush(XmlElement.builder(XmlElement.CONTENT_NS, "iq").attribute("type", "set")
                        .attribute("id", "session").child(XmlElement.empty(SESSION_NS, "session")).build());
            } else {
                goOnline();
            }
        } else if ("result".equals(type) && "session".equals(id)) {
            goOnline();
        } else if ("get".equals(type) || "set".equals(type)) {
            // RFC 6120 §8.2.3: an entity that receives a get or set MUST reply; pings get a result,
            // anything else service-unavailable.
            XmlElement.Builder reply = XmlElement.builder(XmlElement.CONTENT_NS, "iq").attribute("id", id == null ? "" : id);
            if (e.attribute("from") != null) {
                reply.attribute("to", e.attribute("from"));
            }
            if (e.firstChild("urn:xmpp:ping", "ping") != null) {
                reply.attribute("type", "result");
            } else {
                reply.attribute("type", "error").child(XmlElement.builder(XmlElement.CONTENT_NS, "error")
                        .attribute("type", "cancel")
                        .child(XmlElement.empty("urn:ietf:params:xml:ns:xmpp-stanzas", "service-unavailable")).build());
            }
            channel.writeAndFlush(reply.build());
        }
    }

    private void features(XmlElement f) {
        if (options.tls() && !tlsDone) {
            if (f.firstChild(TLS_NS, "starttls") == null) {
                fail(stats.streamErrors, "the server offers no STARTTLS (use --no-tls?)");
            } else {
                channel.writeAndFlush(XmlElement.empty(TLS_NS, "starttls"));
            }
        } else if (!authenticated) {
            auth(f);
        } else {
            XmlElement session = f.firstChild(SESSION_NS, "session");
            sessionRequired = session != null && session.firstChild(SESSION_NS, "optional") == null;
            XmlElement bind = XmlElement.builder(BIND_NS, "bind")
                    .child(XmlElement.builder(BIND_NS, "resource").text(options.resource()).build()).build();
            channel.writeAndFlush(XmlElement.builder(XmlElement.CONTENT_NS, "iq").attribute("type", "set")
                    .attribute("id", "bind").child(bind).build());
        }
    }

    private void auth(XmlElement f) {
        XmlElement mechanisms = f.firstChild(SASL_NS, "mechanisms");
        boolean offered = mechanisms != null && mechanisms.elements().stream()
                .anyMatch(m -> m.text().trim().equals(options.mechanism()));
        if (!offered) {
            fail(stats.authErrors, "the server does not offer " + options.mechanism() + ": " + f);
            return;
        }
        String username = options.user(user);
        byte[] initial;
        if (options.mechanism().equals("PLAIN")) {
            // RFC 4616 §2: [authzid] NUL authcid NUL passwd.
            initial = ("\0" + username + "\0" + options.password()).getBytes(StandardCharsets.UTF_8);
        } else {
            scram = new ScramClient(options.mechanism(), username, options.password(), scramKeys);
            initial = scram.first();
        }
        channel.writeAndFlush(XmlElement.builder(SASL_NS, "auth").attribute("mechanism", options.mechanism())
                .text(Base64.getEncoder().encodeToString(initial)).build());
    }

    private void challenge(XmlElement e) {
        if (scram == null) {
            fail(stats.authErrors, "unexpected SASL challenge");
            return;
        }
        byte[] response;
        try {
            response = scram.fin(Base64.getDecoder().decode(e.text().trim()));
        } catch (IllegalArgumentException ex) {
            fail(stats.authErrors, "bad SCRAM challenge: " + ex.getMessage());
            return;
        }
        channel.writeAndFlush(XmlElement.builder(SASL_NS, "response")
                .text(Base64.getEncoder().encodeToString(response)).build());
    }

    private void success(XmlElement e) {
        // RFC 6120 §6.3.10: the additional data of <success/> carries SCRAM's server-final-message.
        if (scram != null && !scram.verify(Base64.getDecoder().decode(e.text().trim()))) {
            fail(stats.authErrors, "the server's SCRAM signature does not verify");
            return;
        }
        authenticated = true;
        // RFC 6120 §6.4.6: a new stream over the same connection, from the next byte on.
        ((XmppStreamDecoder) channel.pipeline().get(DECODER)).reset();
        writeHeader();
    }

    /** RFC 6120 §5.4.3.3: TLS from the byte after {@code <proceed/>}, then a fresh stream. */
    private void startTls() {
        SslHandler ssl = tlsContext.newHandler(channel.alloc());
        channel.pipeline().addFirst("tls", ssl);
        ((XmppStreamDecoder) channel.pipeline().get(DECODER)).reset();
        tlsDone = true;
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                writeHeader();
            } else {
                fail(stats.streamErrors, "TLS handshake failed: " + f.cause());
            }
        });
    }

    private void goOnline() {
        // RFC 6121 §4.2.1: initial presence, after which the server delivers chat messages to us.
        channel.writeAndFlush(XmlElement.empty(XmlElement.CONTENT_NS, "presence"));
        online = true;
        stats.loggedIn(startNanos);
        listener.online(this);
    }

    private void writeHeader() {
        ByteBuf out = channel.alloc().buffer(256);
        encoder().writer().writeStreamHeader(out, List.of(XmlAttribute.of("to", options.domain()),
                XmlAttribute.of("version", "1.0"), new XmlAttribute(XmlElement.XML_NS, "lang", "en")));
        channel.writeAndFlush(out);
    }

    private StanzaEncoder encoder() {
        return (StanzaEncoder) channel.pipeline().get("encoder");
    }

    private void fail(LongAdder counter, String problem) {
        if (closing) {
            return;
        }
        counter.increment();
        stats.problem(options.user(user) + ": " + problem);
        close();
    }
}
