package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.stanza.StanzaFormatException;
import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.StreamNamespaces;
import dev.mu.xmpp.core.stream.StreamOpen;
import dev.mu.xmpp.core.stream.StreamViolation;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import dev.mu.xmpp.core.stream.XmppStreamWriter;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.BindException;
import dev.mu.xmpp.router.ClientSession;
import dev.mu.xmpp.sasl.SaslContext;
import dev.mu.xmpp.sasl.SaslFailure;
import dev.mu.xmpp.sasl.SaslMechanism;
import dev.mu.xmpp.sasl.SaslServer;
import dev.mu.xmpp.sasl.SaslStep;
import dev.mu.xmpp.server.sm.ClientStream;
import dev.mu.xmpp.server.sm.StreamManagement;
import dev.mu.xmpp.xep.caps.EntityCapabilities;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client stream's negotiation (RFC 6120 §4–§7) and, once bound, its bridge to the router.
 *
 * <p>Runs on the channel's event loop only, so its state needs no locking; the router reaches the
 * client through the session's {@link ClientStream}, which outlives this connection when XEP-0198
 * resumption is on.
 */
final class C2sSessionHandler extends XmppStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(C2sSessionHandler.class);

    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    static final String ROSTER_VER_NS = "urn:xmpp:features:rosterver";
    static final String PRE_APPROVAL_NS = "urn:xmpp:features:pre-approval";
    static final String SASL_CB_NS = "urn:xmpp:sasl-cb:0";
    static final String PING_NS = "urn:xmpp:ping";
    static final String PLAIN = "PLAIN";

    /** How long a closing stream waits for its last bytes to be taken before the socket is closed anyway. */
    static final long CLOSE_GRACE_MILLIS = 5000;

    /**
     * Failed authentication attempts allowed on one stream; RFC 6120 §6.4.5 asks for a configurable
     * number of retries of at least two.
     */
    static final int MAX_AUTH_ATTEMPTS = 3;

    /** Stanzas written at most before a bound session's batched flush happens anyway. */
    static final int FLUSH_AFTER_STANZAS = 64;

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
    private ClientStream stream;
    private final Link link = new Link();
    private boolean closing;
    /** Whether an XEP-0198 resumable session survives the end of this connection. */
    private boolean resumableOnClose = true;
    /** A failed authentication is being answered after its delay; the client must wait for it. */
    private boolean authDelayed;
    private int pings;

    C2sSessionHandler(C2sSettings settings, boolean directTls) {
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
    boolean closing() {
        return closing;
    }

    @Override
    void violated(StreamViolation v) {
        log.info("xmpp c2s stream error {} from {}: {}", v.error().elementName(), channel.remoteAddress(), v.text());
        closeStream(v.error(), v.text());
    }

    @Override
    void closedByPeer() {
        // XEP-0198 §5: a stream the client closes cleanly ends its session; it is not resumable.
        closeStream(null, null, false);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof CloseStreamRequest close) {
            log.info("xmpp c2s closing {} ({}): {}", channel.remoteAddress(), close.error().elementName(), close.text());
            closeStream(close.error(), close.text(), close.resumable());
        } else if (evt == KeepalivePing.DUE) {
            ping();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    /**
     * XEP-0199 §4.1: the server pings a silent client to find a connection that is gone; with
     * XEP-0198 an {@code <r/>} does the same and is not counted as a stanza. Before binding there is
     * nobody to ping: the negotiation timeout covers that stage.
     */
    private void ping() {
        if (closing || stream == null) {
            return;
        }
        if (stream.managed()) {
            channel.writeAndFlush(StreamManagement.REQUEST, channel.voidPromise());
        } else {
            stream.write(XmlElement.builder(XmlElement.CONTENT_NS, "iq")
                    .attribute("type", "get").attribute("id", "ping-" + (++pings))
                    .attribute("from", settings.domain().toString()).attribute("to", session.jid().toString())
                    .child(XmlElement.empty(PING_NS, "ping")).build());
        }
    }

    /** RFC 6120 §4.7: answer the header, then offer the features of the current stage. */
    @Override
    void opened(StreamOpen open) {
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
            if (tls) {
                // XEP-0440 §2: the channel-binding types the server supports on this stream.
                f.child(channelBindingFeature());
            }
        } else {
            f.child(XmlElement.empty(BIND_NS, "bind"));
            if (settings.streams().config().enabled()) {
                // XEP-0198 §2: offered after authentication, for enabling after binding or resuming instead.
                f.child(StreamManagement.FEATURE);
            }
            // RFC 6121 Appendix E / draft-cridland-xmpp-session: advertised as optional for old clients.
            f.child(XmlElement.builder(SESSION_NS, "session").child(XmlElement.empty(SESSION_NS, "optional")).build());
            f.child(XmlElement.empty(ROSTER_VER_NS, "ver"));
            // RFC 6121 §3.4.1: the router honours subscription pre-approvals.
            f.child(XmlElement.empty(PRE_APPROVAL_NS, "sub"));
        }
        f.child(EntityCapabilities.featureElement(settings.router().identities(), settings.router().features()));
        return f.build();
    }

    private XmlElement channelBindingFeature() {
        XmlElement.Builder cb = XmlElement.builder(SASL_CB_NS, "sasl-channel-binding");
        for (String type : channelBindingTypes().stream().sorted().toList()) {
            cb.child(XmlElement.builder(SASL_CB_NS, "channel-binding").attribute("type", type).build());
        }
        return cb.build();
    }

    /**
     * The mechanisms for this stream: SCRAM only where the store can verify the named user with it,
     * and then PLAIN only when configured: XEP-0474 §"Business Rules", after RFC 6120 §13.8.3,
     * "clients and servers SHOULD NOT support SASL PLAIN unless it is required by the authentication
     * backend", since no downgrade protection covers it.
     */
    private List<String> offeredMechanisms() {
        List<String> offered = settings.mechanisms().offered(tls, channelBindingTypes());
        if (!settings.credentials().supportsScram(streamUser)) {
            return offered.stream().filter(m -> !m.startsWith("SCRAM-")).toList();
        }
        if (settings.plainWithScram() || offered.stream().noneMatch(m -> m.startsWith("SCRAM-"))) {
            return offered;
        }
        return offered.stream().filter(m -> !m.equals(PLAIN)).toList();
    }

    /** Channel bindings this connection can provide: tls-server-end-point once TLS is up. */
    private Set<String> channelBindingTypes() {
        // tls-exporter (RFC 9266) needs a keying-material exporter the JDK 17 TLS engine does not expose.
        return tls ? Set.of(SaslContext.TLS_SERVER_END_POINT) : Set.of();
    }

    @Override
    void element(XmlElement e) {
        if (authDelayed) {
            closeStream(StreamError.POLICY_VIOLATION, "Wait for the result of authentication");
        } else if (user == null) {
            negotiate(e);
        } else if (StreamManagement.NAMESPACE.equals(e.namespace())) {
            streamManagement(e);
        } else if (session == null || session.jid() == null) {
            bindStage(e);
        } else if (Stanza.isStanza(e)) {
            settings.router().receive(session, e);
            // XEP-0198 §4: h counts the stanzas the server has handled.
            stream.handled();
        } else {
            closeStream(StreamError.UNSUPPORTED_STANZA_TYPE, null);
        }
    }

    /** XEP-0198: enable, resume, and acknowledgements both ways. */
    private void streamManagement(XmlElement e) {
        boolean bound = session != null && session.jid() != null;
        switch (e.name()) {
            case "enable" -> {
                // XEP-0198 §3: enabling before binding, or twice, gets <failed/> with unexpected-request.
                if (!bound || stream.managed() || !settings.streams().config().enabled()) {
                    channel.writeAndFlush(StreamManagement.failed("unexpected-request", -1));
                    return;
                }
                String resume = e.attribute("resume");
                stream.enable("true".equals(resume) || "1".equals(resume));
            }
            case "resume" -> resume(e, bound);
            case "r" -> {
                if (bound && stream.managed()) {
                    channel.writeAndFlush(StreamManagement.ack(stream.inbound()));
                } else {
                    closeStream(StreamError.UNSUPPORTED_STANZA_TYPE, "Stream management is not enabled");
                }
            }
            case "a" -> {
                long h = StreamManagement.h(e);
                if (!bound || !stream.managed() || h < 0) {
                    closeStream(StreamError.UNSUPPORTED_STANZA_TYPE, "Stream management is not enabled");
                } else if (!stream.acknowledged(h)) {
                    // XEP-0198 §4: an h larger than what was sent is a stream error, undefined-condition.
                    closeStream(StreamError.UNDEFINED_CONDITION,
                            "You acknowledged " + h + " stanzas, but I only sent you " + stream.sent() + " so far.");
                }
            }
            default -> closeStream(StreamError.UNSUPPORTED_STANZA_TYPE, null);
        }
    }

    /** XEP-0198 §5: resumption, on a new authenticated stream, instead of binding a resource. */
    private void resume(XmlElement e, boolean bound) {
        if (bound || !settings.streams().config().enabled()) {
            channel.writeAndFlush(StreamManagement.failed("unexpected-request", -1));
            return;
        }
        long h = StreamManagement.h(e);
        if (h < 0 || e.attribute("previd") == null) {
            channel.writeAndFlush(StreamManagement.failed("bad-request", -1));
            return;
        }
        ClientStream previous = settings.streams().take(e.attribute("previd"), user);
        if (previous == null) {
            // XEP-0198 §5: unknown or expired: item-not-found, and the client binds a new session.
            channel.writeAndFlush(StreamManagement.failed("item-not-found", -1));
            return;
        }
        ClientStream.Connection old;
        try {
            old = settings.streams().resume(previous, link, h);
        } catch (IllegalStateException ex) {
            channel.writeAndFlush(StreamManagement.failed("item-not-found", -1));
            return;
        } catch (IllegalArgumentException ex) {
            closeStream(StreamError.UNDEFINED_CONDITION, ex.getMessage());
            return;
        }
        stream = previous;
        session = previous.session();
        negotiated();
        log.info("xmpp c2s resumed {} from {}", session.jid(), channel.remoteAddress());
        if (old != null) {
            // The client came back before the server noticed that the old connection was gone.
            old.close(StreamError.CONFLICT, "The session was resumed on another connection");
        }
    }

    /** The stream has a session, bound or resumed: the negotiation timeout no longer applies, and flushes are batched. */
    private void negotiated() {
        if (channel.pipeline().get(C2sChannelInitializer.NEGOTIATION_TIMEOUT) != null) {
            channel.pipeline().remove(C2sChannelInitializer.NEGOTIATION_TIMEOUT);
        }
        if (channel.pipeline().get(C2sChannelInitializer.FLUSH) == null) {
            // From now on no STARTTLS or SASL step needs its bytes on the wire before the next handler
            // change, so flushes can be batched: one per read (or per event-loop task for stanzas the
            // router delivers from other connections) instead of one syscall per stanza.
            channel.pipeline().addBefore(C2sChannelInitializer.DECODER, C2sChannelInitializer.FLUSH,
                    new FlushConsolidationHandler(FLUSH_AFTER_STANZAS, true));
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
        if (settings.authThrottle().locked(remoteAddress(), streamUser)) {
            refuseLocked();
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
                .advertised(offeredMechanisms(), tls ? channelBindingTypes() : null)
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
        if (settings.authThrottle().locked(remoteAddress(), s.authenticatedUser())) {
            // The right password does not open a locked account: otherwise the lock only slows guessing.
            refuseLocked();
            return;
        }
        settings.authThrottle().succeeded(s.authenticatedUser());
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
        String account = sasl != null && sasl.authenticationIdentity() != null ? sasl.authenticationIdentity() : streamUser;
        sasl = null;
        failedAuth++;
        log.info("xmpp c2s authentication failed ({}) for {} from {}", condition.elementName(),
                account == null ? "an unnamed account" : account, channel.remoteAddress());
        if (condition == SaslFailure.ABORTED) {
            failure(condition, text);
            return;
        }
        // RFC 6120 §13.12: a growing delay, across connections, before each failure is answered.
        long delay = settings.authThrottle().failed(remoteAddress(), account).toMillis();
        if (delay <= 0) {
            answerFailure(condition, text);
            return;
        }
        authDelayed = true;
        channel.eventLoop().schedule(() -> {
            authDelayed = false;
            if (!closing) {
                answerFailure(condition, text);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void answerFailure(SaslFailure condition, String text) {
        failure(condition, text);
        if (failedAuth >= MAX_AUTH_ATTEMPTS) {
            closeStream(StreamError.POLICY_VIOLATION, "Too many failed authentication attempts");
        }
    }

    /** An address or account over its failure limit: refused without counting, and the stream's attempts run out. */
    private void refuseLocked() {
        sasl = null;
        failedAuth++;
        log.info("xmpp c2s authentication refused to {}: too many failures", channel.remoteAddress());
        answerFailure(SaslFailure.TEMPORARY_AUTH_FAILURE, "Too many failed attempts; try again later");
    }

    private InetAddress remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
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
        if (settings.router().sessionCount(user) >= settings.limits().maxSessionsPerAccount()) {
            // RFC 6120 §7.6.2.1: "If the account has reached a limit on the number of simultaneous
            // connected resources allowed, the server MUST return a <resource-constraint/> stanza error."
            channel.writeAndFlush(iq.errorReply(StanzaError.RESOURCE_CONSTRAINT).element());
            return;
        }
        if (session == null) {
            stream = settings.streams().newStream(link);
            session = settings.router().newSession(stream);
            stream.session(session);
        }
        XmlElement resource = bind.firstChild(BIND_NS, "resource");
        try {
            FullJid jid = settings.router().bind(session, user, resource == null ? null : resource.text());
            negotiated();
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

    /** Ends the stream, and with it the session: see {@link #closeStream(StreamError, String, boolean)}. */
    private void closeStream(StreamError error, String text) {
        closeStream(error, text, false);
    }

    /**
     * Ends the stream, with a stream error first when {@code error} is set (RFC 6120 §4.9.1), and
     * closes the connection once that is written, or after {@value #CLOSE_GRACE_MILLIS} ms for a
     * client that does not read.
     *
     * @param resumable whether an XEP-0198 resumable session survives, as after a broken connection
     */
    private void closeStream(StreamError error, String text, boolean resumable) {
        if (closing) {
            return;
        }
        closing = true;
        resumableOnClose = resumable;
        if (error != null) {
            writeHeader(null);
            channel.write(error.toElement(text));
        }
        ByteBuf out = channel.alloc().buffer(32);
        writer().writeStreamClose(out);
        ChannelFuture written = channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        if (!channel.isWritable()) {
            channel.close();
        } else if (!written.isDone()) {
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (stream != null) {
            if (resumableOnClose) {
                // XEP-0198 §5: a broken connection leaves a resumable session waiting for its client.
                settings.streams().connectionLost(stream, link, ctx.channel().eventLoop());
            } else if (stream.attachedTo(link)) {
                settings.streams().terminate(stream);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS handshake failures and resets end up here: one line, and this connection only.
        log.info("xmpp c2s connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** This connection, as the session's stream sees it. */
    private final class Link implements ClientStream.Connection {
        @Override
        public void write(XmlElement element) {
            channel.writeAndFlush(element, channel.voidPromise());
        }

        @Override
        public void close(StreamError error, String text) {
            channel.eventLoop().execute(() -> closeStream(error, text, false));
        }
    }
}
