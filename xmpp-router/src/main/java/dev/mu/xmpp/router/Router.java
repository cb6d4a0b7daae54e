package dev.mu.xmpp.router;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.Message;
import dev.mu.xmpp.core.stanza.Presence;
import dev.mu.xmpp.core.stanza.PresenceType;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.stanza.StanzaFormatException;
import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.memory.InMemoryStorageProvider;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.DiscoIdentity;
import dev.mu.xmpp.router.spi.IqHandler;
import dev.mu.xmpp.router.spi.PresenceDirectory;
import dev.mu.xmpp.router.spi.RemoteRouter;
import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.UserDirectory;
import dev.mu.xmpp.router.spi.XmppModule;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes stanzas between the local users' sessions, the server's modules and remote domains (through a
 * {@link RemoteRouter}), following the delivery rules of RFC 6121 §8.
 *
 * <p>One router per server instance. Thread-safe: transports call it from their own threads.
 */
public final class Router implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final DomainJid domain;
    private final UserDirectory users;
    private final RosterStore rosters;
    private final StorageProvider storage;
    private final SessionRegistry sessions = new SessionRegistry();
    private final ModuleHost modules;
    private final RosterService rosterService;
    private final PresenceService presence;
    private final ConcurrentHashMap<BareJid, Instant> lastUnavailable = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final RemoteRouter remote;

    private Router(Builder b) {
        this.domain = Objects.requireNonNull(b.domain, "domain");
        this.users = Objects.requireNonNull(b.users, "users");
        this.storage = b.storage != null ? b.storage : new InMemoryStorageProvider();
        this.rosters = b.rosters != null ? b.rosters : storage.rosters();
        this.clock = b.clock;
        this.remote = b.remote;
        this.rosterService = new RosterService(this, rosters);
        this.presence = new PresenceService(this, rosters, rosterService);
        this.modules = new ModuleHost(this, rosters, storage, b.options, clock.instant());
        rosterService.register(modules);
        for (XmppModule m : b.modules) {
            modules.start(m);
        }
    }

    /** Starts a builder for the router of the given domain. */
    public static Builder builder(DomainJid domain) {
        return new Builder(domain);
    }

    /** The server's domain. */
    public DomainJid domain() {
        return domain;
    }

    /** The number of bound client sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** The number of bound sessions of one local user, available or not. */
    public int sessionCount(BareJid user) {
        return sessions.resources(user).size();
    }

    /** The XEP-0030 features every module declared, sorted. */
    public Set<String> features() {
        return modules.features();
    }

    /** The XEP-0030 identities every module declared. */
    public List<DiscoIdentity> identities() {
        return modules.identities();
    }

    /** Read-only view of who is online. */
    public PresenceDirectory presenceDirectory() {
        return modules.presence();
    }

    /** Creates the router's view of a new client connection; it routes nothing until bound. */
    public ClientSession newSession(SessionTransport transport) {
        return new ClientSession(transport);
    }

    /**
     * Binds a resource for an authenticated user (RFC 6120 §7).
     *
     * <p>A resource already in use is taken over: the older session is closed with a
     * {@code conflict} stream error (RFC 6120 §7.7.2.2, the behaviour of Prosody's default and
     * Openfire), which lets a client that reconnects after a network change keep its resource.
     *
     * @param requestedResource the resource the client asked for, or {@code null} to generate one
     * @return the bound full JID
     * @throws BindException with {@code bad-request} when the resource is not a valid resourcepart
     */
    public FullJid bind(ClientSession session, EntityBareJid user, String requestedResource) throws BindException {
        if (session.jid() != null) {
            throw new BindException(StanzaError.of(StanzaError.Condition.NOT_ALLOWED), "already bound");
        }
        FullJid jid;
        try {
            jid = user.withResource(requestedResource == null || requestedResource.isEmpty()
                    ? generatedResource() : requestedResource);
        } catch (JidFormatException e) {
            throw new BindException(StanzaError.of(StanzaError.Condition.BAD_REQUEST), e.getMessage());
        }
        session.bound(jid);
        ClientSession replaced = sessions.add(session);
        if (replaced != null) {
            log.info("xmpp c2s resource conflict on {}: closing the older session", jid);
            presence.sessionClosed(replaced);
            replaced.close(StreamError.CONFLICT, "Replaced by new connection");
        }
        log.debug("xmpp c2s bound {}", jid);
        return jid;
    }

    /** Takes a stanza a bound client sent: stamps its {@code from}, then routes it. */
    public void receive(ClientSession session, XmlElement element) {
        if (session.jid() == null) {
            // RFC 6120 §7.1: stanzas may be exchanged only once a resource is bound; a stream that sends
            // one earlier is closed with <not-authorized/> (RFC 6120 §4.9.3.12), and nothing is routed.
            log.debug("xmpp c2s stanza before resource binding: closing the stream");
            session.close(StreamError.NOT_AUTHORIZED, "Bind a resource before sending stanzas");
            return;
        }
        Stanza stanza;
        try {
            stanza = Stanza.wrap(element);
        } catch (StanzaFormatException e) {
            log.debug("xmpp c2s bad stanza from {}: {}", session.jid(), e.getMessage());
            if (!"error".equals(element.attribute("type")) && !"result".equals(element.attribute("type"))) {
                // Written as an element, not wrapped: the reply to an iq that lacked its 'id' lacks one
                // too, and must not be rejected in turn as an invalid iq.
                session.write(errorReplyElement(element, session.jid(), e.error()));
            }
            return;
        }
        // RFC 6120 §8.1.2.1: the server MUST stamp 'from' with the full JID of the sender.
        stanza = stanza.withFrom(session.jid());
        if (stanza instanceof Presence p) {
            presence.outbound(session, p);
        } else if (stanza instanceof Message m) {
            // RFC 6120 §10.3.1: a message with no 'to' is treated as addressed to the sender's bare JID.
            Message out = modules.interceptOutbound(m.to() == null ? m.withTo(session.jid().asBare()) : m);
            if (out != null) {
                route(out);
            }
        } else {
            handleIqFromClient(session, (Iq) stanza);
        }
    }

    /** Unbinds a session whose stream ended, broadcasting unavailable presence if it was available. */
    public void closed(ClientSession session) {
        if (session.jid() != null && sessions.remove(session)) {
            presence.sessionClosed(session);
            log.debug("xmpp c2s unbound {}", session.jid());
        }
    }

    /**
     * Takes back a stanza that was written to a session whose stream then ended without the client
     * acknowledging it, such as XEP-0198's unacknowledged stanzas; call it after {@link #closed}.
     *
     * <p>XEP-0198 §5: the server should "treat unacknowledged stanzas in the same way that it would
     * treat a stanza sent to an unavailable resource, by either returning an error to the sender,
     * delivery to an alternate resource, or committing the stanza to offline storage". Chat and normal
     * messages go to the user's other resources by RFC 6121 §8.5.2 (interceptors already saw them),
     * else to offline storage, else back to the sender as {@code recipient-unavailable}; iq requests are answered with
     * {@code service-unavailable}; presence, headlines, groupchat and errors are dropped, as they
     * would be for a resource that just went offline.
     */
    public void undelivered(XmlElement element) {
        Stanza stanza;
        try {
            stanza = Stanza.wrap(element);
        } catch (StanzaFormatException e) {
            return;
        }
        if (stanza instanceof Message m && m.to() != null && m.to().hasLocal()
                && m.to().domain().equals(domain.domain())) {
            switch (m.type()) {
                case NORMAL, CHAT -> redeliver((EntityBareJid) m.to().asBare(), m);
                default -> {
                }
            }
        } else if (stanza instanceof Iq iq && iq.isRequest()) {
            bounce(iq, StanzaError.Condition.SERVICE_UNAVAILABLE);
        }
    }

    private void redeliver(EntityBareJid bare, Message m) {
        int best = -1;
        List<ClientSession> resources = sessions.resources(bare);
        for (ClientSession s : resources) {
            if (s.isAvailable() && s.priority() > best) {
                best = s.priority();
            }
        }
        if (best < 0) {
            if (!modules.storeOffline(m)) {
                bounce(m, StanzaError.Condition.RECIPIENT_UNAVAILABLE);
            }
            return;
        }
        for (ClientSession s : resources) {
            if (s.isAvailable() && s.priority() == best) {
                s.send(m);
            }
        }
    }

    /**
     * Routes a stanza whose {@code from} is already correct, from a session, a module, the server or
     * a remote server whose stream authenticated the {@code from} domain.
     */
    public void route(Stanza stanza) {
        Jid to = stanza.to();
        if (to == null) {
            return;
        }
        if (!to.domain().equals(domain.domain())) {
            // RFC 6120 §10.4: a stanza for a domain the server does not serve is routed to that domain;
            // without federation configured, the remote server cannot be reached at all.
            if (remote == null) {
                bounce(stanza, StanzaError.Condition.REMOTE_SERVER_NOT_FOUND);
            } else {
                remote.send(stanza, this::bounce);
            }
            return;
        }
        if (!to.hasLocal()) {
            toServer(stanza);
            return;
        }
        if (stanza instanceof Message m) {
            deliverMessage(m);
        } else if (stanza instanceof Presence p) {
            presence.inbound(p);
        } else {
            deliverIq((Iq) stanza);
        }
    }

    private void handleIqFromClient(ClientSession session, Iq iq) {
        Jid to = iq.to();
        if (to == null) {
            // RFC 6120 §10.3.3: no 'to' means the server handles it on behalf of the account.
            iq = iq.withTo(session.jid().asBare());
            IqHandler h = modules.handler(Addressing.BARE, iq);
            if (h == null) {
                h = modules.handler(Addressing.HOST, iq);
            }
            dispatchIq(session, iq, h);
            return;
        }
        if (to.domain().equals(domain.domain()) && !to.hasLocal() && to.resource() == null) {
            dispatchIq(session, iq, modules.handler(Addressing.HOST, iq));
            return;
        }
        route(iq);
    }

    private void toServer(Stanza stanza) {
        if (stanza instanceof Iq iq) {
            if (stanza.to().resource() == null) {
                dispatchIq(requester(iq.from()), iq, modules.handler(Addressing.HOST, iq));
            } else {
                bounce(iq, StanzaError.Condition.SERVICE_UNAVAILABLE);
            }
        } else if (stanza instanceof Message m && m.body() != null) {
            bounce(m, StanzaError.Condition.SERVICE_UNAVAILABLE);
        }
    }

    private void deliverIq(Iq iq) {
        Jid to = iq.to();
        if (to instanceof FullJid full) {
            ClientSession s = sessions.get(full);
            if (s != null) {
                s.send(iq);
            } else {
                // RFC 6121 §8.5.3.2.3: no such resource: service-unavailable.
                bounce(iq, StanzaError.Condition.SERVICE_UNAVAILABLE);
            }
            return;
        }
        EntityBareJid bare = (EntityBareJid) to;
        if (!exists(bare)) {
            bounce(iq, StanzaError.Condition.SERVICE_UNAVAILABLE);
            return;
        }
        // RFC 6121 §8.5.2.1.3: an iq to a bare JID is handled by the server on the user's behalf.
        dispatchIq(requester(iq.from()), iq, modules.handler(Addressing.BARE, iq));
    }

    private void dispatchIq(dev.mu.xmpp.router.spi.Session requester, Iq iq, IqHandler handler) {
        if (iq.type() == IqType.RESULT || iq.type() == IqType.ERROR) {
            return;
        }
        if (handler == null) {
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE)));
            return;
        }
        try {
            handler.handle(requester, iq);
        } catch (RuntimeException e) {
            log.warn("xmpp module failed on iq {} from {}", iq.payload(), iq.from(), e);
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.INTERNAL_SERVER_ERROR)));
        }
    }

    /** The requester of a stanza that arrived by routing: its replies are routed back. */
    private dev.mu.xmpp.router.spi.Session requester(Jid from) {
        if (from instanceof FullJid full) {
            ClientSession s = sessions.get(full);
            if (s != null) {
                return s;
            }
        }
        return new RoutedRequester(from);
    }

    private void deliverMessage(Message m) {
        Jid to = m.to();
        EntityBareJid bare = (EntityBareJid) to.asBare();
        // One routing-table lookup for the existence check and the delivery, not one for each.
        List<ClientSession> resources = sessions.resources(bare);
        if (resources.isEmpty() && !users.exists(bare)) {
            // RFC 6121 §8.5.1: no such account: service-unavailable (never for errors or headlines).
            if (m.type() != dev.mu.xmpp.core.stanza.MessageType.HEADLINE) {
                bounce(m, StanzaError.Condition.SERVICE_UNAVAILABLE);
            }
            return;
        }
        m = modules.interceptInbound(m);
        if (m == null) {
            return;
        }
        if (to instanceof FullJid full) {
            ClientSession s = SessionRegistry.find(resources, full);
            if (s != null) {
                s.send(m);
                return;
            }
            // RFC 6121 §8.5.3.2.1: no such resource: groupchat bounces, errors are dropped,
            // the other types are treated as if addressed to the bare JID.
            switch (m.type()) {
                case GROUPCHAT -> {
                    bounce(m, StanzaError.Condition.SERVICE_UNAVAILABLE);
                    return;
                }
                case ERROR -> {
                    return;
                }
                default -> {
                }
            }
        }
        deliverToBare(resources, m);
    }

    /** RFC 6121 §8.5.2: delivery of a message addressed to a local user's bare JID. */
    private void deliverToBare(List<ClientSession> resources, Message m) {
        switch (m.type()) {
            case NORMAL, CHAT -> {
                // The available resources with the highest non-negative priority all get it.
                int best = -1;
                for (ClientSession s : resources) {
                    if (s.isAvailable() && s.priority() > best) {
                        best = s.priority();
                    }
                }
                if (best < 0) {
                    offline(m);
                    return;
                }
                for (ClientSession s : resources) {
                    if (s.isAvailable() && s.priority() == best) {
                        s.send(m);
                    }
                }
            }
            case HEADLINE -> {
                for (ClientSession s : resources) {
                    if (s.isAvailable() && s.priority() >= 0) {
                        s.send(m);
                    }
                }
            }
            case GROUPCHAT -> bounce(m, StanzaError.Condition.SERVICE_UNAVAILABLE);
            case ERROR -> {
                // Errors addressed to a bare JID are dropped so that bounces never loop.
            }
        }
    }

    /** RFC 6121 §8.5.2.1.1: no resource can take the message now: kept offline, or the sender is told. */
    private void offline(Message m) {
        if (!modules.storeOffline(m)) {
            bounce(m, StanzaError.Condition.SERVICE_UNAVAILABLE);
        }
    }

    /** A user with a bound session exists; only others cost a directory lookup. */
    private boolean exists(EntityBareJid user) {
        return !sessions.resources(user).isEmpty() || users.exists(user);
    }

    /** Tells the modules that a resource sent initial presence. */
    void available(ClientSession session, Presence initial) {
        modules.available(session, initial);
    }

    /**
     * Answers a stanza with an error from its addressee; an error is never answered with another,
     * so bounces cannot loop (RFC 6120 §8.3.1).
     */
    void bounce(Stanza stanza, StanzaError.Condition condition) {
        if (stanza.isError() || stanza.from() == null) {
            return;
        }
        // RFC 6120 §8.2.3: an entity that receives a stanza of type result "MUST NOT respond to the
        // stanza by sending a further IQ response of type result or error".
        if (stanza instanceof Iq iq && !iq.isRequest()) {
            return;
        }
        if (stanza instanceof Presence p && p.type() != PresenceType.SUBSCRIBE) {
            return;
        }
        route(stanza.errorReply(StanzaError.of(condition)));
    }

    PresenceService presenceService() {
        return presence;
    }

    /** The sessions of a local user, available or not. */
    List<ClientSession> resources(BareJid user) {
        return sessions.resources(user);
    }

    /** The session bound to a full JID, or {@code null}. */
    ClientSession session(FullJid jid) {
        return sessions.get(jid);
    }

    /** Whether the bare JID is a local user's account. */
    boolean isLocalUser(BareJid jid) {
        return jid instanceof EntityBareJid e && e.domain().equals(domain.domain()) && exists(e);
    }

    void markUnavailable(BareJid user) {
        lastUnavailable.put(user, clock.instant());
    }

    Optional<Instant> lastUnavailable(BareJid user) {
        return Optional.ofNullable(lastUnavailable.get(user));
    }

    /** A fresh id for a stanza the server originates. */
    String newId() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private String generatedResource() {
        return "mu-" + newId();
    }

    private XmlElement errorReplyElement(XmlElement original, FullJid to, StanzaError error) {
        XmlElement.Builder b = XmlElement.builder(XmlElement.CONTENT_NS, original.name())
                .attribute("type", "error")
                .attribute("to", to.toString())
                .attribute("from", domain.toString());
        String id = original.attribute("id");
        if (id != null) {
            b.attribute("id", id);
        }
        return b.child(error.toElement()).build();
    }

    @Override
    public void close() {
        modules.stop();
    }

    /** A requester reached by routing rather than through a local session. */
    private final class RoutedRequester implements dev.mu.xmpp.router.spi.Session {
        private final Jid address;

        RoutedRequester(Jid address) {
            this.address = address;
        }

        @Override
        public Jid address() {
            return address;
        }

        @Override
        public void send(Stanza stanza) {
            route(stanza);
        }
    }

    /** Builds a {@link Router}; not thread-safe. */
    public static final class Builder {
        private final DomainJid domain;
        private UserDirectory users = user -> false;
        private RosterStore rosters;
        private StorageProvider storage;
        private final Map<String, Object> options = new HashMap<>();
        private final List<XmppModule> modules = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private RemoteRouter remote;

        private Builder(DomainJid domain) {
            this.domain = domain;
        }

        /** Which local accounts exist. */
        public Builder users(UserDirectory value) {
            this.users = Objects.requireNonNull(value);
            return this;
        }

        /** The server's stores; in memory by default. */
        public Builder storage(StorageProvider value) {
            this.storage = Objects.requireNonNull(value);
            return this;
        }

        /** Typed module options, read with {@link dev.mu.xmpp.router.spi.ModuleContext#option}. */
        public Builder options(Map<String, ?> values) {
            this.options.putAll(values);
            return this;
        }

        /** Where rosters are kept, instead of the storage's roster store. */
        public Builder rosters(RosterStore value) {
            this.rosters = Objects.requireNonNull(value);
            return this;
        }

        /** Adds a module, started when the router is built. */
        public Builder module(XmppModule module) {
            modules.add(Objects.requireNonNull(module));
            return this;
        }

        /** Adds modules, started in order when the router is built. */
        public Builder modules(List<? extends XmppModule> values) {
            values.forEach(this::module);
            return this;
        }

        /** The clock for timestamps; the system UTC clock by default. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Where stanzas for other domains go; without one they bounce with
         * {@code remote-server-not-found}.
         */
        public Builder remote(RemoteRouter value) {
            this.remote = Objects.requireNonNull(value);
            return this;
        }

        /** Builds the router and starts its modules. */
        public Router build() {
            return new Router(this);
        }
    }
}
