package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.stanza.StanzaFormatException;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.stream.StreamNamespaces;
import dev.mu.xmpp.core.stream.StreamOpen;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import dev.mu.xmpp.core.stream.XmppStreamWriter;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.sasl.ExternalMechanism;
import dev.mu.xmpp.sasl.SaslContext;
import dev.mu.xmpp.sasl.SaslStep;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of one server-to-server stream (RFC 6120 §4–§6, §13): requires STARTTLS,
 * authenticates the peer's domains with SASL EXTERNAL when its certificate proves them (XEP-0178)
 * or with Server Dialback (XEP-0220), answers dialback verifications as the authoritative server,
 * and hands the stanzas of authenticated domains to the router.
 *
 * <p>Runs on the channel's event loop only, so its state needs no locking.
 */
final class S2sInboundHandler extends XmppStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(S2sInboundHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final S2sConnections connections;
    private final S2sSettings settings;
    private Channel channel;
    private boolean tls;
    private boolean headerSent;
    private String streamId;
    /** The peer's domain as its stream header named it (RFC 6120 §4.7.1), lower-cased, or {@code null}. */
    private String peer;
    private boolean saslDone;
    /** The domains this peer proved, by SASL EXTERNAL or dialback; it may send stanzas from these only. */
    private final Set<String> authenticated = new HashSet<>();
    private boolean closing;

    S2sInboundHandler(S2sConnections connections, boolean directTls) {
        this.connections = connections;
        this.settings = connections.settings();
        this.tls = directTls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        log.debug("xmpp s2s: connection from {}", channel.remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    boolean closing() {
        return closing;
    }

    @Override
    void violated(StreamViolation v) {
        log.info("xmpp s2s: stream error {} from {}: {}", v.error().elementName(), channel.remoteAddress(), v.text());
        closeStream(v.error(), v.text());
    }

    @Override
    void closedByPeer() {
        closeStream(null, null);
    }

    @Override
    void opened(StreamOpen open) {
        String from = open.from();
        peer = from == null ? null : from.toLowerCase(Locale.ROOT);
        writeHeader();
        if (!Stanza.SERVER_NS.equals(open.contentNamespace())) {
            closeStream(StreamError.INVALID_NAMESPACE, null);
            return;
        }
        if (!settings.serves(open.to())) {
            // RFC 6120 §4.9.3.6: a 'to' naming no domain this server serves is host-unknown.
            closeStream(StreamError.HOST_UNKNOWN, null);
            return;
        }
        if (!"1.0".equals(open.version())) {
            closeStream(StreamError.UNSUPPORTED_VERSION, null);
            return;
        }
        if (peer != null && !settings.policy().permits(peer)) {
            closeStream(StreamError.POLICY_VIOLATION, "This server does not federate with " + peer);
            return;
        }
        channel.writeAndFlush(features());
    }

    private XmlElement features() {
        XmlElement.Builder f = XmlElement.builder(StreamNamespaces.STREAMS, "features");
        if (!tls) {
            // RFC 6120 §5.3.1: this server requires TLS on server streams, so STARTTLS is mandatory.
            f.child(XmlElement.builder(C2sSessionHandler.TLS_NS, "starttls")
                    .child(XmlElement.empty(C2sSessionHandler.TLS_NS, "required")).build());
        } else if (!saslDone) {
            if (peer != null && settings.trust().verifies(peerCertificates(), peer)) {
                // XEP-0178 §2: EXTERNAL is offered when the certificate proves the domain in 'from'.
                f.child(XmlElement.builder(C2sSessionHandler.SASL_NS, "mechanisms")
                        .child(XmlElement.builder(C2sSessionHandler.SASL_NS, "mechanism").text(ExternalMechanism.NAME).build())
                        .build());
            }
            if (settings.dialback()) {
                f.child(Dialback.feature());
            }
        }
        return f.build();
    }

    @Override
    void element(XmlElement e) {
        if (!tls) {
            if (e.is(C2sSessionHandler.TLS_NS, "starttls")) {
                startTls();
            } else {
                // RFC 6120 §5.3.1: with TLS mandatory, anything but STARTTLS is a policy violation.
                closeStream(StreamError.POLICY_VIOLATION, "STARTTLS is required");
            }
        } else if (Stanza.isStanza(e)) {
            stanza(e);
        } else if (e.is(Dialback.NS, Dialback.RESULT) && e.attribute("type") == null) {
            dialbackRequest(e);
        } else if (e.is(Dialback.NS, Dialback.VERIFY) && e.attribute("type") == null) {
            verifyRequest(e);
        } else if (e.is(C2sSessionHandler.SASL_NS, "auth") && !saslDone) {
            external(e);
        } else {
            closeStream(StreamError.UNSUPPORTED_STANZA_TYPE, null);
        }
    }

    /** RFC 6120 §5.4.2.3: proceed, then TLS from the next byte, and a fresh stream. */
    private void startTls() {
        SslHandler ssl = settings.tls().s2sServerContext().newHandler(channel.alloc());
        channel.writeAndFlush(XmlElement.empty(C2sSessionHandler.TLS_NS, "proceed"));
        channel.pipeline().addFirst(S2sChannelInitializer.TLS, ssl);
        tls = true;
        headerSent = false;
        decoder().reset();
    }

    /** XEP-0178 §2: SASL EXTERNAL against the identities the peer's certificate proves. */
    private void external(XmlElement auth) {
        if (!ExternalMechanism.NAME.equals(auth.attribute("mechanism"))) {
            saslFailure("invalid-mechanism");
            return;
        }
        Set<String> proven = peer != null && settings.trust().verifies(peerCertificates(), peer) ? Set.of(peer) : Set.of();
        byte[] initial;
        String text = auth.text().trim();
        try {
            initial = text.isEmpty() || text.equals("=") ? new byte[0] : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException ex) {
            saslFailure("incorrect-encoding");
            return;
        }
        SaslStep step = new ExternalMechanism().newServer(SaslContext.builder()
                .tlsSecured(true).domain(settings.domain().domain()).peerIdentities(proven).build()).evaluate(initial);
        if (step instanceof SaslStep.Success s) {
            saslDone = true;
            authenticated.add(s.authenticatedUser().toLowerCase(Locale.ROOT));
            log.info("xmpp s2s: {} authenticated with SASL EXTERNAL", s.authenticatedUser());
            channel.writeAndFlush(XmlElement.empty(C2sSessionHandler.SASL_NS, "success"));
            // RFC 6120 §6.4.6: the initiating server now opens a new stream over the same connection.
            headerSent = false;
            decoder().reset();
        } else {
            SaslStep.Failure f = (SaslStep.Failure) step;
            log.info("xmpp s2s: SASL EXTERNAL refused for {}: {}", peer, f.text());
            saslFailure(f.condition().elementName());
        }
    }

    private void saslFailure(String condition) {
        channel.writeAndFlush(XmlElement.builder(C2sSessionHandler.SASL_NS, "failure")
                .child(XmlElement.empty(C2sSessionHandler.SASL_NS, condition)).build());
    }

    /**
     * XEP-0220 §2.1.2: the peer asks to send for the domain in 'from'; the key is checked with that
     * domain's authoritative server before anything from the domain is accepted.
     */
    private void dialbackRequest(XmlElement e) {
        String from = lower(e.attribute("from"));
        String to = e.attribute("to");
        if (from == null || to == null) {
            closeStream(StreamError.IMPROPER_ADDRESSING, "db:result needs 'from' and 'to'");
            return;
        }
        if (!settings.serves(to)) {
            // XEP-0220 §2.4.2: a target domain this server does not serve is item-not-found.
            channel.writeAndFlush(Dialback.resultError(to, from, StanzaError.Condition.ITEM_NOT_FOUND));
            return;
        }
        if (!settings.dialback() || !settings.policy().permits(from)) {
            channel.writeAndFlush(Dialback.resultError(to, from, StanzaError.Condition.FORBIDDEN));
            return;
        }
        if (authenticated.contains(from)) {
            channel.writeAndFlush(Dialback.resultAnswer(to, from, true));
            return;
        }
        connections.verify(from, streamId, e.text().trim(), valid -> channel.eventLoop().execute(() -> {
            if (closing) {
                return;
            }
            if (valid) {
                authenticated.add(from);
                log.info("xmpp s2s: {} authenticated with dialback", from);
            } else {
                log.info("xmpp s2s: dialback key of {} did not verify", from);
            }
            // XEP-0220 §2.1.3: the receiving server tells the originating server the outcome.
            channel.writeAndFlush(Dialback.resultAnswer(to, from, valid));
        }));
    }

    /** XEP-0220 §2.3.2: as the authoritative server, say whether the key is one this server made. */
    private void verifyRequest(XmlElement e) {
        String receiving = e.attribute("from");
        String originating = e.attribute("to");
        String id = e.attribute("id");
        if (receiving == null || originating == null || id == null) {
            closeStream(StreamError.IMPROPER_ADDRESSING, "db:verify needs 'from', 'to' and 'id'");
            return;
        }
        boolean valid = settings.serves(originating)
                && settings.keys().verify(lower(receiving), settings.domain().domain(), id, e.text());
        channel.writeAndFlush(Dialback.verifyAnswer(originating, receiving, id, valid));
    }

    private void stanza(XmlElement e) {
        if (authenticated.isEmpty()) {
            // RFC 6120 §4.9.3.12: stanzas before the peer is authenticated are not-authorized.
            closeStream(StreamError.NOT_AUTHORIZED, "Authenticate first");
            return;
        }
        String fromAttr = e.attribute("from");
        String toAttr = e.attribute("to");
        Stanza stanza;
        try {
            stanza = Stanza.wrap(e);
        } catch (StanzaFormatException ex) {
            closeStream(fromAttr == null || toAttr == null ? StreamError.IMPROPER_ADDRESSING : StreamError.BAD_FORMAT,
                    ex.getMessage());
            return;
        }
        Jid from = stanza.from();
        Jid to = stanza.to();
        if (from == null || to == null) {
            // RFC 6120 §8.1.1.2 and §8.1.2.2: a stanza between servers MUST carry 'to' and 'from';
            // without them it is improper-addressing (§4.9.3.7).
            closeStream(StreamError.IMPROPER_ADDRESSING, "Stanzas between servers need 'to' and 'from'");
            return;
        }
        if (!authenticated.contains(from.domain().toLowerCase(Locale.ROOT))) {
            // RFC 6120 §4.9.3.9: a 'from' not matching a domain validated through SASL or dialback is
            // invalid-from.
            log.info("xmpp s2s: {} sent a stanza from unauthenticated {}", authenticated, from.domain());
            closeStream(StreamError.INVALID_FROM, null);
            return;
        }
        if (!settings.serves(to.domain())) {
            // RFC 6120 §4.9.3.6: the 'to' domain is not one this server serves.
            closeStream(StreamError.HOST_UNKNOWN, null);
            return;
        }
        connections.router().route(stanza);
    }

    private X509Certificate[] peerCertificates() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : chain) {
                out.add((X509Certificate) c);
            }
            return out.toArray(new X509Certificate[0]);
        } catch (SSLPeerUnverifiedException | ClassCastException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private void writeHeader() {
        if (headerSent) {
            return;
        }
        headerSent = true;
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        streamId = HexFormat.of().formatHex(id);
        List<XmlAttribute> attributes = new ArrayList<>(5);
        attributes.add(XmlAttribute.of("from", settings.domain().domain()));
        if (peer != null) {
            attributes.add(XmlAttribute.of("to", peer));
        }
        attributes.add(XmlAttribute.of("id", streamId));
        attributes.add(XmlAttribute.of("version", "1.0"));
        attributes.add(new XmlAttribute(XmlElement.XML_NS, "lang", "en"));
        ByteBuf out = channel.alloc().buffer(256);
        writer().writeStreamHeader(out, attributes, Map.of("db", Dialback.NS));
        channel.write(out);
    }

    /** Ends the stream, with a stream error first when {@code error} is set (RFC 6120 §4.9.1). */
    private void closeStream(StreamError error, String text) {
        if (closing) {
            return;
        }
        closing = true;
        if (error != null) {
            writeHeader();
            channel.write(error.toElement(text));
        }
        ByteBuf out = channel.alloc().buffer(32);
        writer().writeStreamClose(out);
        channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.debug("xmpp s2s: closing idle stream from {}", authenticated);
            closeStream(null, null);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("xmpp s2s: connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private XmppStreamWriter writer() {
        return ((StanzaEncoder) channel.pipeline().get(S2sChannelInitializer.ENCODER)).writer();
    }

    private XmppStreamDecoder decoder() {
        return (XmppStreamDecoder) channel.pipeline().get(S2sChannelInitializer.DECODER);
    }
}
