package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.stream.StreamNamespaces;
import dev.mu.xmpp.core.stream.StreamOpen;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.sasl.ExternalMechanism;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initiating side of one server-to-server stream (RFC 6120 §4–§6, §13): opens the stream,
 * negotiates STARTTLS, authenticates this server's domain with SASL EXTERNAL (XEP-0178) or Server
 * Dialback (XEP-0220), then tells its {@link S2sConnections.Outgoing} it is ready for stanzas.
 * Dialback verifications for inbound streams travel over it too.
 *
 * <p>Runs on the channel's event loop only, so its state needs no locking.
 */
final class S2sOutboundHandler extends XmppStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(S2sOutboundHandler.class);

    private final S2sSettings settings;
    private final S2sConnections.Outgoing outgoing;
    private Channel channel;
    private boolean tls;
    private String streamId;
    private boolean dialbackDeclared;
    private boolean triedExternal;
    private boolean saslDone;
    private boolean closing;

    S2sOutboundHandler(S2sSettings settings, S2sConnections.Outgoing outgoing, boolean directTls) {
        this.settings = settings;
        this.outgoing = outgoing;
        this.tls = directTls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        if (!outgoing.attach(channel)) {
            ctx.close();
            return;
        }
        writeHeader();
        super.channelActive(ctx);
    }

    @Override
    boolean closing() {
        return closing;
    }

    @Override
    void violated(StreamViolation v) {
        log.info("xmpp s2s: stream to {} broke: {} {}", outgoing.domain, v.error().elementName(), v.text());
        closeStream(v.error(), v.text());
    }

    @Override
    void closedByPeer() {
        closeStream(null, null);
    }

    /** RFC 6120 §4.7.1: the initiating server names both domains; §4.7.5: version 1.0 for features. */
    private void writeHeader() {
        List<XmlAttribute> attributes = List.of(
                XmlAttribute.of("from", settings.domain().domain()),
                XmlAttribute.of("to", outgoing.domain),
                XmlAttribute.of("version", "1.0"),
                new XmlAttribute(dev.mu.xmpp.core.xml.XmlElement.XML_NS, "lang", "en"));
        ByteBuf out = channel.alloc().buffer(256);
        writer().writeStreamHeader(out, attributes, Map.of("db", Dialback.NS));
        channel.writeAndFlush(out);
    }

    @Override
    void opened(StreamOpen open) {
        if (!Stanza.SERVER_NS.equals(open.contentNamespace())) {
            closeStream(StreamError.INVALID_NAMESPACE, null);
            return;
        }
        // XEP-0220 §2.1.1: the receiving server's stream id is part of the dialback key.
        streamId = open.id();
        dialbackDeclared = Dialback.NS.equals(open.namespaceDeclarations().get("db"));
    }

    @Override
    void element(XmlElement e) {
        if (e.is(StreamNamespaces.STREAMS, "features")) {
            features(e);
        } else if (e.is(C2sSessionHandler.TLS_NS, "proceed") && !tls) {
            startTls();
        } else if (e.is(C2sSessionHandler.SASL_NS, "success") && triedExternal && !saslDone) {
            // RFC 6120 §6.4.6: after SASL success the initiating entity opens a new stream.
            saslDone = true;
            decoder().reset();
            writeHeader();
        } else if (e.is(C2sSessionHandler.SASL_NS, "failure") && triedExternal && !saslDone) {
            log.info("xmpp s2s: {} refused SASL EXTERNAL for {}", outgoing.domain, settings.domain());
            if (!dialback()) {
                fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "SASL EXTERNAL refused and no dialback");
            }
        } else if (e.is(Dialback.NS, Dialback.RESULT)) {
            dialbackResult(e);
        } else if (e.is(Dialback.NS, Dialback.VERIFY)) {
            // XEP-0220 §2.3.2: the authoritative server's answer about a key we asked it about.
            outgoing.verified(e.attribute("id") == null ? "" : e.attribute("id"), "valid".equals(e.attribute("type")));
        } else if (e.is(StreamNamespaces.STREAMS, "error")) {
            log.info("xmpp s2s: {} sent a stream error: {}", outgoing.domain, e);
        } else if (e.is(C2sSessionHandler.TLS_NS, "failure")) {
            fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "STARTTLS failed");
        } else {
            // RFC 6120 §4.9.3.21: this stream carries stanzas one way only.
            closeStream(StreamError.UNSUPPORTED_STANZA_TYPE, null);
        }
    }

    private void features(XmlElement f) {
        if (!tls) {
            if (f.child(C2sSessionHandler.TLS_NS, "starttls").isPresent()) {
                channel.writeAndFlush(XmlElement.empty(C2sSessionHandler.TLS_NS, "starttls"));
            } else {
                // RFC 6120 §13.9.4 asks servers to use TLS; this one never sends stanzas in the clear.
                fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "peer offers no STARTTLS");
            }
            return;
        }
        outgoing.secured();
        if (saslDone) {
            outgoing.authenticated();
            return;
        }
        if (!settings.dialback() && !peerCertificateValid()) {
            // XEP-0178 §3: with dialback disabled, only a peer whose certificate proves its domain will do.
            fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "certificate does not prove " + outgoing.domain);
            return;
        }
        boolean external = f.child(C2sSessionHandler.SASL_NS, "mechanisms").map(m -> m.elements().stream()
                .anyMatch(x -> ExternalMechanism.NAME.equals(x.text().trim()))).orElse(false);
        if (external) {
            triedExternal = true;
            // XEP-0178 §2: the authorization identity is the initiating server's domain.
            String authzid = Base64.getEncoder().encodeToString(settings.domain().domain().getBytes(StandardCharsets.UTF_8));
            channel.writeAndFlush(XmlElement.builder(C2sSessionHandler.SASL_NS, "auth")
                    .attribute("mechanism", ExternalMechanism.NAME).text(authzid).build());
            return;
        }
        dialbackDeclared |= f.child(Dialback.FEATURE_NS, "dialback").isPresent();
        if (!dialback()) {
            fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "no authentication method in common");
        }
    }

    /** XEP-0220 §2.1.1: asks to send for this domain with a key only this server can confirm. */
    private boolean dialback() {
        if (!settings.dialback() || !dialbackDeclared || streamId == null) {
            return false;
        }
        String key = settings.keys().key(outgoing.domain, settings.domain().domain(), streamId);
        channel.writeAndFlush(Dialback.result(settings.domain().domain(), outgoing.domain, key));
        return true;
    }

    private void dialbackResult(XmlElement e) {
        String type = e.attribute("type");
        if ("valid".equals(type)) {
            outgoing.authenticated();
        } else {
            fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "dialback " + type);
        }
    }

    private boolean peerCertificateValid() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return false;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                x509[i] = (X509Certificate) chain[i];
            }
            return settings.trust().verifies(x509, outgoing.domain);
        } catch (SSLPeerUnverifiedException | ClassCastException e) {
            return false;
        }
    }

    /** RFC 6120 §5.4.3.3: TLS from the next byte, then a fresh stream. */
    private void startTls() {
        SslHandler ssl = settings.tls().s2sClientContext(false).newHandler(channel.alloc(), outgoing.domain, PeerResolver.DEFAULT_PORT);
        channel.pipeline().addFirst(S2sChannelInitializer.TLS, ssl);
        tls = true;
        decoder().reset();
        writeHeader();
    }

    private void fail(StanzaError.Condition condition, String reason) {
        outgoing.fail(condition, reason);
        closeStream(null, null);
    }

    /** Ends the stream, with a stream error first when {@code error} is set (RFC 6120 §4.9.1). */
    void closeStream(StreamError error, String text) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> closeStream(error, text));
            return;
        }
        if (closing) {
            return;
        }
        closing = true;
        if (error != null) {
            channel.write(error.toElement(text));
        }
        ByteBuf out = channel.alloc().buffer(32);
        writer().writeStreamClose(out);
        channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.debug("xmpp s2s: closing idle stream to {}", outgoing.domain);
            outgoing.fail(StanzaError.Condition.REMOTE_SERVER_TIMEOUT, "idle");
            closeStream(null, null);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        outgoing.fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "connection closed");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("xmpp s2s: stream to {} failed: {}", outgoing.domain, cause.toString());
        ctx.close();
    }

    private dev.mu.xmpp.core.stream.XmppStreamWriter writer() {
        return ((StanzaEncoder) channel.pipeline().get(S2sChannelInitializer.ENCODER)).writer();
    }

    private XmppStreamDecoder decoder() {
        return (XmppStreamDecoder) channel.pipeline().get(S2sChannelInitializer.DECODER);
    }
}
