package dev.mu.xmpp.router;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.Message;
import dev.mu.xmpp.core.stanza.Presence;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.AvailabilityListener;
import dev.mu.xmpp.router.spi.DiscoIdentity;
import dev.mu.xmpp.router.spi.IqHandler;
import dev.mu.xmpp.router.spi.MessageInterceptor;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.OfflineHandler;
import dev.mu.xmpp.router.spi.PresenceDirectory;
import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.Session;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.XmppModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.namespace.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules of one router: their iq handlers keyed by addressing, type and payload name, and the
 * disco features and identities they declared. Registration happens at start; lookups are lock-free.
 */
final class ModuleHost {

    private static final Logger log = LoggerFactory.getLogger(ModuleHost.class);

    private record Key(Addressing addressing, IqType type, String namespace, String name) {
    }

    private final Router router;
    private final Instant startedAt;
    private final Map<Key, IqHandler> handlers = new ConcurrentHashMap<>();
    private final Set<String> features = Collections.synchronizedSet(new TreeSet<>());
    private final List<DiscoIdentity> identities = new CopyOnWriteArrayList<>();
    /** What {@link #features()} and {@link #identities()} last returned; null after a change. */
    private Set<String> featureSnapshot;
    private List<DiscoIdentity> identitySnapshot;
    private final List<XmppModule> started = new ArrayList<>();
    private final PresenceDirectory presence;
    private final RosterStore rosters;
    private final StorageProvider storage;
    private final Map<String, Object> options;
    private final Set<String> accountFeatures = Collections.synchronizedSet(new TreeSet<>());
    private final List<MessageInterceptor> outbound = new CopyOnWriteArrayList<>();
    private final List<MessageInterceptor> inbound = new CopyOnWriteArrayList<>();
    private final List<OfflineHandler> offline = new CopyOnWriteArrayList<>();
    private final List<AvailabilityListener> availability = new CopyOnWriteArrayList<>();

    ModuleHost(Router router, RosterStore rosters, StorageProvider storage, Map<String, Object> options, Instant startedAt) {
        this.router = router;
        this.rosters = rosters;
        this.storage = storage;
        this.options = Map.copyOf(options);
        this.startedAt = startedAt;
        this.presence = new PresenceDirectory() {
            @Override
            public List<FullJid> availableResources(BareJid user) {
                List<FullJid> out = new ArrayList<>();
                for (ClientSession s : router.resources(user)) {
                    if (s.isAvailable()) {
                        out.add(s.jid());
                    }
                }
                return out;
            }

            @Override
            public Optional<Instant> lastUnavailable(BareJid user) {
                return router.lastUnavailable(user);
            }
        };
    }

    void start(XmppModule module) {
        module.start(new Context(module, rosters));
        started.add(module);
        log.debug("xmpp module started: {}", module.getClass().getName());
    }

    /** Registers a built-in handler that is part of the router itself. */
    void register(Addressing addressing, IqType type, QName payload, IqHandler handler) {
        Key key = new Key(addressing, type, payload.getNamespaceURI(), payload.getLocalPart());
        if (handlers.putIfAbsent(key, handler) != null) {
            throw new IllegalStateException("Two handlers for " + key);
        }
    }

    /** The handler for a request, or {@code null} when nothing handles its payload. */
    IqHandler handler(Addressing addressing, Iq iq) {
        XmlElement payload = iq.payload();
        if (payload == null) {
            return null;
        }
        return handlers.get(new Key(addressing, iq.type(), payload.namespace(), payload.name()));
    }

    /**
     * The same instance until a feature is added, so that what is derived from it (the XEP-0115
     * verification string of every stream's features) can be kept as long as it is.
     */
    Set<String> features() {
        synchronized (features) {
            if (featureSnapshot == null) {
                featureSnapshot = sortedSnapshot(features);
            }
            return featureSnapshot;
        }
    }

    /** A sorted copy, as Router#features() promises: Set.copyOf would lose the order. */
    private static Set<String> sortedSnapshot(Set<String> synchronizedSet) {
        synchronized (synchronizedSet) {
            return Collections.unmodifiableSortedSet(new TreeSet<>(synchronizedSet));
        }
    }

    /** The same instance until an identity is added, as {@link #features()}. */
    List<DiscoIdentity> identities() {
        synchronized (identities) {
            if (identitySnapshot == null) {
                identitySnapshot = List.copyOf(identities);
            }
            return identitySnapshot;
        }
    }

    PresenceDirectory presence() {
        return presence;
    }

    Message interceptOutbound(Message m) {
        return intercept(outbound, m);
    }

    Message interceptInbound(Message m) {
        return intercept(inbound, m);
    }

    private static Message intercept(List<MessageInterceptor> interceptors, Message m) {
        for (MessageInterceptor i : interceptors) {
            if (m == null) {
                return null;
            }
            m = i.intercept(m);
        }
        return m;
    }

    /** Whether an offline handler kept the message. */
    boolean storeOffline(Message m) {
        for (OfflineHandler h : offline) {
            if (h.store(m)) {
                return true;
            }
        }
        return false;
    }

    void available(Session session, Presence initial) {
        for (AvailabilityListener l : availability) {
            try {
                l.available(session, initial);
            } catch (RuntimeException e) {
                log.warn("xmpp module failed on the initial presence of {}", session.address(), e);
            }
        }
    }

    void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (RuntimeException e) {
                log.warn("xmpp module failed to stop: {}", started.get(i).getClass().getName(), e);
            }
        }
        started.clear();
    }

    /** The context one module sees. */
    private final class Context implements ModuleContext {
        private final XmppModule module;
        private final RosterStore rosters;

        Context(XmppModule module, RosterStore rosters) {
            this.module = module;
            this.rosters = rosters;
        }

        @Override
        public DomainJid domain() {
            return router.domain();
        }

        @Override
        public Instant startedAt() {
            return startedAt;
        }

        @Override
        public void addFeature(String var) {
            synchronized (features) {
                features.add(var);
                featureSnapshot = null;
            }
        }

        @Override
        public void addIdentity(DiscoIdentity identity) {
            synchronized (identities) {
                identities.add(identity);
                identitySnapshot = null;
            }
        }

        @Override
        public Set<String> features() {
            return ModuleHost.this.features();
        }

        @Override
        public List<DiscoIdentity> identities() {
            return ModuleHost.this.identities();
        }

        @Override
        public void onIq(Addressing addressing, IqType type, QName payload, IqHandler handler) {
            log.trace("xmpp module {} handles {} {} {}", module.getClass().getSimpleName(), addressing, type, payload);
            register(addressing, type, payload, handler);
        }

        @Override
        public void route(Stanza stanza) {
            router.route(stanza);
        }

        @Override
        public PresenceDirectory presence() {
            return presence;
        }

        @Override
        public RosterStore rosters() {
            return rosters;
        }

        @Override
        public StorageProvider storage() {
            return storage;
        }

        @Override
        public void addAccountFeature(String var) {
            accountFeatures.add(var);
        }

        @Override
        public Set<String> accountFeatures() {
            return sortedSnapshot(accountFeatures);
        }

        @Override
        public void interceptOutbound(MessageInterceptor interceptor) {
            outbound.add(interceptor);
        }

        @Override
        public void interceptInbound(MessageInterceptor interceptor) {
            inbound.add(interceptor);
        }

        @Override
        public void onOffline(OfflineHandler handler) {
            offline.add(handler);
        }

        @Override
        public void onAvailable(AvailabilityListener listener) {
            availability.add(listener);
        }

        @Override
        public <T> T option(String name, Class<T> type, T defaultValue) {
            Object value = options.get(name);
            if (value == null) {
                return defaultValue;
            }
            if (!type.isInstance(value)) {
                throw new IllegalArgumentException("Option " + name + " must be a " + type.getSimpleName()
                        + ", not " + value.getClass().getSimpleName());
            }
            return type.cast(value);
        }
    }
}
