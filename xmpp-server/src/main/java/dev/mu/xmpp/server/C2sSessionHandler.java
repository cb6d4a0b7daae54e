package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.stanza.StanzaFormatException;
import dev.mu.xmpp.core.stream.StreamElement;
import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.StreamNamespaces;
import dev.mu.xmpp.core.stream.StreamOpen;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import dev.mu.xmpp.core.stream.XmppStreamEvent;
import dev.mu.xmpp.core.stream.XmppStreamWriter;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.BindException;
import dev.mu.xmpp.router.ClientSession;
import dev.mu.xmpp.router.SessionTransport;
import dev.mu.xmpp.sasl.SaslContext;
import dev.mu.xmpp.sasl.SaslFailure;
import dev.mu.xmpp.sasl.SaslMechanism;
import dev.mu.xmpp.sasl.SaslServer;
import dev.mu.xmpp.sasl.SaslStep;
import dev.mu.xmpp.xep.caps.EntityCapabilities;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client stream's negotiation (RFC 6120 §4–§7) and, once bound, its bridge to the router.
 *
 * <p>Runs on the channel's event loop only, so its state needs no locking; the router reaches the
 * client through {@link SessionTransport}, which Netty makes safe to call from any thread.
 */
final class C2sSessionHandler extends SimpleChannelInboundHandler<XmppStreamEvent> {

    private static final Logger log = LoggerFactory.getLogger(C2sSessionHandler.class);

    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    static final String ROSTER_VER_NS = "urn:xmpp:features:rosterver";
    static final String PRE_APPROVAL_NS = "urn:xmpp:features:pre-approval";

    /**
     * Failed authentication attempts allowed on one stream; RFC 6120 §6.4.5 asks for a configurable
     * number of retries of at least two.
     */
    static final int MAX_AUTH_ATTEMPTS = 3;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final C2sSettings settings;
    private boolean tls;
    private Channel channel;
    private boolean headerSent;
    /** The prepared localpart the client's stream header named in 'from', if any (RFC 6120 §4.7.1). */
    private String streamUser;
    private EntityBareJid user;
    private SaslServer sasl;
    private int failedAuth;
    private ClientSession session;
    private boolean closing;

    C2sSessionHandler(C2sSettings settings, boolean directTls) {
        super(XmppStreamEvent.class);
        this.settings = settings;
        this.tls = directTls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        log.debug("xmpp c2s connection from {}", channel.remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, XmppStreamEvent event) {
        if (closing) {
            return;
        }
        if (event instanceof StreamElement e) {
            element(e.element());
        } else if (event instanceof StreamOpen open) {
            streamOpened(open);
        } else if (event instanceof StreamViolation v) {
            log.info("xmpp c2s stream error {} from {}: {}", v.error().elementName(), channel.remoteAddress(), v.text());
            closeStream(v.error(), v.text());
        } else {
            closeStream(null, null);
        }
    }

    /** RFC 6120 §4.7: answer the header, then offer the features of the current stage. */
    private void streamOpened(StreamOpen open) {
        writeHeader(open.from());
        if (!Stanza.CLIENT_NS.equals(open.contentNamespace())) {
            closeStream(StreamError.INVALID_NAMESPACE, null);
            return;
        }
        String to = open.to();
        if (to != null && !sameDomain(to)) {
            // RFC 6120 §4.9.3.6: a 'to' the server does not serve is host-unknown.
            closeStream(StreamError.HOST_UNKNOWN, null);
            return;
        }
        if (!"1.0".equals(open.version())) {
            closeStream(StreamError.UNSUPPORTED_VERSION, null);
            return;
        }
        streamUser = streamUser(open.from());
        channel.writeAndFlush(features());
    }

    private String streamUser(String from) {
        if (from == null) {
            return null;
        }
        try {
            dev.mu.xmpp.core.jid.Jid jid = dev.mu.xmpp.core.jid.Jid.of(from);
            return jid.hasLocal() && jid.domain().equals(settings.domain().domain()) ? jid.local() : null;
        } catch (JidFormatException e) {
            return null;
        }
    }

    private boolean sameDomain(String to) {
        try {
            return dev.mu.xmpp.core.jid.Jid.of(to).equals(settings.domain());
        } catch (JidFormatException e) {
            return false;
        }
    }

    private XmlElement features() {
        XmlElement.Builder f = XmlElement.builder(StreamNamespaces.STREAMS, "features");
        if (user == null) {
            if (!tls) {
                XmlElement.Builder starttls = XmlElement.builder(TLS_NS, "starttls");
                if (!settings.allowPlaintextAuth()) {
                    starttls.child(XmlElement.empty(TLS_NS, "required"));
                }
                f.child(starttls.build());
            }
            if (tls || settings.allowPlaintextAuth()) {
                XmlElement.Builder mechanisms = XmlElement.builder(SASL_NS, "mechanisms");
                for (String name : offeredMechanisms()) {
                    mechanisms.child(XmlElement.builder(SASL_NS, "mechanism").text(name).build());
                }
                f.child(mechanisms.build());
            }
        } else {
            f.child(XmlElement.empty(BIND_NS, "bind"));
            // RFC 6121 Appendix E / draft-cridland-xmpp-session: advertised as optional for old clients.
            f.child(XmlElement.builder(SESSION_NS, "session").child(XmlElement.empty(SESSION_NS, "optional")).build());
            f.child(XmlElement.empty(ROSTER_VER_NS, "ver"));
            // RFC 6121 §3.4.1: the router honours subscription pre-approvals.
            f.child(XmlElement.empty(PRE_APPROVAL_NS, "sub"));
        }
        f.child(EntityCapabilities.featureElement(settings.router().identities(), settings.router().features()));
        return f.build();
    }

    /** The mechanisms for this stream: SCRAM only where the store can verify the named user with it. */
    private List<String> offeredMechanisms() {
        List<String> offered = settings.mechanisms().offered(tls, channelBindingTypes());
        if (settings.credentials().supportsScram(streamUser)) {
            return offered;
        }
        return offered.stream().filter(m -> !m.startsWith("SCRAM-")).toList();
    }

    /** Channel bindings this connection can provide: tls-server-end-point once TLS is up. */
    private Set<String> channelBindingTypes() {
        // tls-exporter (RFC 9266) needs a keying-material exporter the JDK 17 TLS engine does not expose.
        return tls ? Set.of(SaslContext.TLS_SERVER_END_POINT) : Set.of();
    }

    private void element(XmlElement e) {
        if (user == null) {
            negotiate(e);
        } else if (session == null || session.jid() == null) {
            bindStage(e);
        } else if (Stanza.isStanza(e)) {
            settings.router().receive(session, e);
        } else {
            closeStream(StreamError.UNSUPPORTED_STANZA_TYPE, null);
        }
    }

    private void negotiate(XmlElement e) {
        if (e.is(TLS_NS, "starttls") && !tls && sasl == null) {
            startTls();
        } else if (e.is(SASL_NS, "auth")) {
            auth(e);
        } else if (e.is(SASL_NS, "response") && sasl != null) {
            step(decode(e));
        } else if (e.is(SASL_NS, "abort") && sasl != null) {
            saslFailed(SaslFailure.ABORTED, null);
        } else if (!tls && !settings.allowPlaintextAuth()) {
            // RFC 6120 §5.3.1: with TLS mandatory, anything but STARTTLS is a policy violation.
            closeStream(StreamError.POLICY_VIOLATION, "STARTTLS is required");
        } else {
            closeStream(StreamError.NOT_AUTHORIZED, null);
        }
    }

    /** RFC 6120 §5.4.2.3: proceed, then TLS from the next byte, and a fresh stream. */
    private void startTls() {
        SslHandler ssl = settings.tls().context().newHandler(channel.alloc());
        channel.writeAndFlush(XmlElement.empty(TLS_NS, "proceed"));
        channel.pipeline().addFirst(C2sChannelInitializer.TLS, ssl);
        tls = true;
        headerSent = false;
        decoder().reset();
    }

    private void auth(XmlElement e) {
        if (sasl != null) {
            saslFailed(SaslFailure.ABORTED, null);
        }
        if (!tls && !settings.allowPlaintextAuth()) {
            // RFC 6120 §6.4.5: encryption-required when the mechanism needs TLS the stream lacks;
            // counted like any failure so that a client cannot repeat it forever.
            saslFailed(SaslFailure.ENCRYPTION_REQUIRED, null);
            return;
        }
        String name = e.attribute("mechanism");
        Optional<SaslMechanism> mechanism = name == null ? Optional.empty() : settings.mechanisms().byName(name);
        if (mechanism.isEmpty() || !offeredMechanisms().contains(name)) {
            failure(SaslFailure.INVALID_MECHANISM, null);
            return;
        }
        byte[] tlsEndPoint = tls ? serverEndPoint() : null;
        SaslContext ctx = SaslContext.builder()
                .credentials(settings.credentials())
                .domain(settings.domain().toString())
                .tlsSecured(tls)
                .channelBindingTypes(channelBindingTypes())
                .channelBindingData(type -> SaslContext.TLS_SERVER_END_POINT.equals(type) ? tlsEndPoint : null)
                .build();
        sasl = mechanism.get().newServer(ctx);
        byte[] initial = decode(e);
        if (initial != null) {
            step(initial);
        } else {
            step(new byte[0]);
        }
    }

    /**
     * RFC 5929 §4.1: tls-server-end-point is the hash of "the TLS server's certificate" on this
     * connection, which after a certificate reload is not the source's current one.
     */
    private byte[] serverEndPoint() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        try {
            Certificate[] local = ssl == null ? null : ssl.engine().getSession().getLocalCertificates();
            return local == null || local.length == 0 ? null : TlsContextSource.endPointHash((X509Certificate) local[0]);
        } catch (GeneralSecurityException e) {
            log.warn("xmpp c2s: no tls-server-end-point for {}: {}", channel.remoteAddress(), e.toString());
            return null;
        }
    }

    private void step(byte[] response) {
        if (response == null) {
            saslFailed(SaslFailure.INCORRECT_ENCODING, null);
            return;
        }
        SaslStep result = sasl.evaluate(response);
        if (result instanceof SaslStep.Challenge c) {
            channel.writeAndFlush(saslElement("challenge", c.data()));
        } else if (result instanceof SaslStep.Success success) {
            authenticated(success);
        } else {
            SaslStep.Failure f = (SaslStep.Failure) result;
            saslFailed(f.condition(), f.text());
        }
    }

    private void authenticated(SaslStep.Success s) {
        sasl = null;
        try {
            user = EntityBareJid.of(s.authenticatedUser(), settings.domain().toString());
        } catch (JidFormatException ex) {
            failure(SaslFailure.NOT_AUTHORIZED, null);
            return;
        }
        log.info("xmpp c2s authenticated {} from {}", user, channel.remoteAddress());
        channel.writeAndFlush(saslElement("success", s.additionalData()));
        // RFC 6120 §6.4.6: the client now opens a new stream over the same connection.
        headerSent = false;
        decoder().reset();
    }

    private void saslFailed(SaslFailure condition, String text) {
        sasl = null;
        failedAuth++;
        log.info("xmpp c2s authentication failed ({}) from {}", condition.elementName(), channel.remoteAddress());
        failure(condition, text);
        if (failedAuth >= MAX_AUTH_ATTEMPTS && condition != SaslFailure.ABORTED) {
            closeStream(StreamError.POLICY_VIOLATION, "Too many failed authentication attempts");
        }
    }

    private void failure(SaslFailure condition, String text) {
        XmlElement.Builder f = XmlElement.builder(SASL_NS, "failure").child(XmlElement.empty(SASL_NS, condition.elementName()));
        if (text != null && !text.isEmpty()) {
            f.child(XmlElement.builder(SASL_NS, "text").text(text).build());
        }
        channel.writeAndFlush(f.build());
    }

    /** Base64 content of a SASL element: {@code null} when invalid, empty for none or "=" (RFC 6120 §6.4.2). */
    private static byte[] decode(XmlElement e) {
        String text = e.text().trim();
        if (text.isEmpty() || text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static XmlElement saslElement(String name, byte[] data) {
        XmlElement.Builder b = XmlElement.builder(SASL_NS, name);
        if (data != null && data.length > 0) {
            b.text(Base64.getEncoder().encodeToString(data));
        }
        return b.build();
    }

    /** RFC 6120 §7: after authentication only resource binding (and the legacy session) is accepted. */
    private void bindStage(XmlElement e) {
        if (!Stanza.isStanza(e) || !e.name().equals("iq")) {
            closeStream(StreamError.NOT_AUTHORIZED, "Bind a resource first");
            return;
        }
        Iq iq;
        try {
            iq = (Iq) Stanza.wrap(e);
        } catch (StanzaFormatException ex) {
            closeStream(StreamError.BAD_FORMAT, ex.getMessage());
            return;
        }
        XmlElement bind = iq.payload(new javax.xml.namespace.QName(BIND_NS, "bind"));
        if (iq.type() != IqType.SET || bind == null) {
            channel.writeAndFlush(iq.errorReply(StanzaError.NOT_AUTHORIZED).element());
            return;
        }
        if (session == null) {
            session = settings.router().newSession(new Transport());
        }
        XmlElement resource = bind.firstChild(BIND_NS, "resource");
        try {
            FullJid jid = settings.router().bind(session, user, resource == null ? null : resource.text());
            XmlElement result = XmlElement.builder(BIND_NS, "bind")
                    .child(XmlElement.builder(BIND_NS, "jid").text(jid.toString()).build()).build();
            channel.writeAndFlush(iq.resultReply(result).element());
        } catch (BindException ex) {
            channel.writeAndFlush(iq.errorReply(ex.error()).element());
        }
    }

    private XmppStreamWriter writer() {
        return ((StanzaEncoder) channel.pipeline().get(C2sChannelInitializer.ENCODER)).writer();
    }

    private XmppStreamDecoder decoder() {
        return (XmppStreamDecoder) channel.pipeline().get(C2sChannelInitializer.DECODER);
    }

    private void writeHeader(String clientFrom) {
        if (headerSent) {
            return;
        }
        headerSent = true;
        List<XmlAttribute> attributes = new ArrayList<>(5);
        attributes.add(XmlAttribute.of("from", settings.domain().toString()));
        if (clientFrom != null) {
            attributes.add(XmlAttribute.of("to", clientFrom));
        }
        attributes.add(XmlAttribute.of("id", HexFormat.of().formatHex(randomBytes())));
        attributes.add(XmlAttribute.of("version", "1.0"));
        attributes.add(new XmlAttribute(XmlElement.XML_NS, "lang", "en"));
        ByteBuf out = channel.alloc().buffer(256);
        writer().writeStreamHeader(out, attributes);
        channel.write(out);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Ends the stream, with a stream error first when {@code error} is set (RFC 6120 §4.9.1). */
    private void closeStream(StreamError error, String text) {
        if (closing) {
            return;
        }
        closing = true;
        if (error != null) {
            writeHeader(null);
            channel.write(error.toElement(text));
        }
        ByteBuf out = channel.alloc().buffer(32);
        writer().writeStreamClose(out);
        channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            settings.router().closed(session);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS handshake failures and resets end up here: one line, and this connection only.
        log.info("xmpp c2s connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** The router's way back to this client. */
    private final class Transport implements SessionTransport {
        @Override
        public void write(XmlElement stanza) {
            channel.writeAndFlush(stanza, channel.voidPromise());
        }

        @Override
        public void close(StreamError error, String text) {
            channel.eventLoop().execute(() -> closeStream(error, text));
        }
    }
}
