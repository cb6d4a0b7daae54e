package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import dev.mu.xmpp.router.Router;
import dev.mu.xmpp.router.memory.InMemoryStorageProvider;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.UserDirectory;
import dev.mu.xmpp.router.spi.XmppModule;
import dev.mu.xmpp.sasl.CachingCredentialStore;
import dev.mu.xmpp.sasl.CredentialStore;
import dev.mu.xmpp.sasl.SaslMechanisms;
import dev.mu.xmpp.sasl.ScramHash;
import dev.mu.xmpp.server.sm.ResumableStreams;
import dev.mu.xmpp.server.sm.StreamManagementConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An XMPP server: client listeners with STARTTLS and direct TLS, a router and its modules, and
 * federation with other domains over server-to-server streams (RFC 6120 §13).
 *
 * <pre>{@code
 * try (XmppServer server = XmppServer.builder()
 *         .domain("example.com")
 *         .credentials(store)
 *         .build()) {
 *     server.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe once started.
 */
public final class XmppServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(XmppServer.class);

    /** How long {@link Builder#plainCache} remembers a verified password by default, in seconds. */
    public static final int DEFAULT_PLAIN_CACHE_SECONDS = 600;
    private static final Duration DEFAULT_PLAIN_CACHE = Duration.ofSeconds(DEFAULT_PLAIN_CACHE_SECONDS);
    private static final Duration DEFAULT_S2S_IDLE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DEFAULT_S2S_SETUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_S2S_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Sizes each connection's read buffers from its recent reads; the per-connection state is in its
     * handle, so one instance serves all connections instead of one each, which idle sessions add up.
     */
    private static final RecvByteBufAllocator RECEIVE_BUFFER_SIZES = new AdaptiveRecvByteBufAllocator();

    private final Builder config;
    private final DomainJid domain;
    private final TlsContextSource tls;
    private final StorageProvider storage;
    private final Router router;
    private final SaslMechanisms mechanisms;
    private final ResumableStreams streams;
    private final AuthThrottle authThrottle;
    private final ConnectionLimitHandler connectionLimit;
    private final S2sConnections s2s;
    private EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private Channel s2sListener;
    private Channel s2sDirectTlsListener;

    private XmppServer(Builder b) {
        this.config = b;
        this.domain = DomainJid.of(Objects.requireNonNull(b.domain, "domain"));
        this.tls = b.tls != null ? b.tls : TlsContextSource.selfSigned(domain.toString(), b.dataDir);
        this.storage = b.storage != null ? b.storage : new InMemoryStorageProvider();
        CredentialStore credentials = Objects.requireNonNull(b.credentials, "credentials");
        UserDirectory users = b.users != null ? b.users : user -> userExists(credentials, user);
        List<XmppModule> modules = new ArrayList<>();
        if (b.serviceModules) {
            ServiceLoader.load(XmppModule.class).forEach(modules::add);
        }
        modules.addAll(b.modules);
        disable(modules, b.disabledModules);
        S2sSettings s2sSettings = new S2sSettings(domain, tls, b.s2sTrust != null ? b.s2sTrust : S2sTrust.jdkDefaults(),
                b.dialback, new DialbackKeys(), DomainPolicy.of(b.s2sAllow, b.s2sDeny),
                XmppDecoderConfig.builder().contentNamespaces(Stanza.SERVER_NS).build(), b.s2sIdleTimeout, b.s2sSetupTimeout);
        this.s2s = new S2sConnections(s2sSettings, new PeerResolver(b.s2sHosts, b.s2sDnsServer, b.s2sConnectTimeout),
                b.s2sConnectTimeout);
        this.router = Router.builder(domain).users(users).storage(storage).options(b.options).modules(modules)
                .remote(s2s).build();
        this.mechanisms = b.mechanisms != null ? b.mechanisms : SaslMechanisms.defaults(b.allowPlaintextAuth);
        this.streams = new ResumableStreams(router, b.streamManagement);
        this.authThrottle = new AuthThrottle(b.limits, Clock.systemUTC());
        this.connectionLimit = new ConnectionLimitHandler(b.limits.maxConnectionsPerAddress());
    }

    /** Removes the named modules; a name that matches none is a configuration mistake, not a no-op. */
    private static void disable(List<XmppModule> modules, Set<String> names) {
        Set<String> known = new TreeSet<>();
        modules.forEach(m -> known.add(m.name()));
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("no module named '" + name + "' to disable; modules: " + known);
            }
        }
        modules.removeIf(m -> names.contains(m.name()));
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listeners; returns once they accept connections. */
    public synchronized XmppServer start() {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(
                config.threads > 0 ? config.threads : Runtime.getRuntime().availableProcessors(), io);
        CredentialStore credentials = config.plainCache.isZero()
                ? config.credentials : new CachingCredentialStore(config.credentials, config.plainCache);
        C2sSettings settings = new C2sSettings(domain, router, credentials, mechanisms, tls,
                config.allowPlaintextAuth, config.plainWithScram, config.limits, streams, authThrottle, connectionLimit);
        try {
            listeners.add(bind(channel, config.c2sPort, new C2sChannelInitializer(settings, false)));
            if (config.directTlsPort >= 0) {
                listeners.add(bind(channel, config.directTlsPort, new C2sChannelInitializer(settings, true)));
            }
            s2s.start(router, group, epoll ? EpollSocketChannel.class : NioSocketChannel.class);
            if (config.s2sPort >= 0) {
                s2sListener = bind(channel, config.s2sPort, new S2sChannelInitializer(s2s, false));
                listeners.add(s2sListener);
            }
            if (config.s2sDirectTlsPort >= 0) {
                s2sDirectTlsListener = bind(channel, config.s2sDirectTlsPort, new S2sChannelInitializer(s2s, true));
                listeners.add(s2sDirectTlsListener);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("xmpp server for {} listening on {} ({} transport)", domain,
                listeners.stream().map(Channel::localAddress).toList(), epoll ? "epoll" : "nio");
        return this;
    }

    private Channel bind(Class<? extends ServerChannel> channel, int port, ChannelInitializer<SocketChannel> init) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFER_SIZES)
                .childHandler(init);
        try {
            return b.bind(new InetSocketAddress(config.bindAddress, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while binding port " + port, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot listen on " + config.bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The server's domain. */
    public DomainJid domain() {
        return domain;
    }

    /** The bound STARTTLS client port, useful when the builder asked for port 0. */
    public int c2sPort() {
        return port(0);
    }

    /** The bound direct TLS client port, or -1 when disabled. */
    public int directTlsPort() {
        return config.directTlsPort < 0 ? -1 : port(1);
    }

    /** The bound server-to-server port, or -1 when disabled. */
    public synchronized int s2sPort() {
        return s2sListener == null ? -1 : ((InetSocketAddress) s2sListener.localAddress()).getPort();
    }

    /** The bound server-to-server direct TLS port (XEP-0368), or -1 when disabled. */
    public synchronized int s2sDirectTlsPort() {
        return s2sDirectTlsListener == null ? -1 : ((InetSocketAddress) s2sDirectTlsListener.localAddress()).getPort();
    }

    private synchronized int port(int index) {
        if (listeners.size() <= index) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) listeners.get(index).localAddress()).getPort();
    }

    /** The number of bound client sessions right now. */
    public int sessionCount() {
        return router.sessionCount();
    }

    /**
     * Failed client authentications since the server started, for monitoring; each is also logged
     * with the client's address.
     */
    public long failedAuthentications() {
        return authThrottle.total();
    }

    /** The XEP-0198 sessions that are resumable right now, connected or waiting for their client. */
    public int resumableSessions() {
        return streams.size();
    }

    /** The router, for embedders that route stanzas themselves. */
    public Router router() {
        return router;
    }

    /** Stops listening, closes every stream and releases the storage. */
    @Override
    public synchronized void close() {
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly();
        }
        listeners.clear();
        s2sListener = null;
        s2sDirectTlsListener = null;
        s2s.close();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
        router.close();
        try {
            storage.close();
        } catch (Exception e) {
            log.warn("xmpp storage failed to close", e);
        }
    }

    private static boolean userExists(CredentialStore credentials, EntityBareJid user) {
        for (ScramHash hash : ScramHash.values()) {
            if (credentials.scram(user.local(), hash).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Configures an {@link XmppServer}; not thread-safe. */
    public static final class Builder {
        private String domain = ServerConfig.DEFAULT_DOMAIN;
        private String bindAddress = ServerConfig.DEFAULT_BIND;
        private int c2sPort = ServerConfig.DEFAULT_PORT;
        private int directTlsPort = ServerConfig.DEFAULT_TLS_PORT;
        private Path dataDir = Path.of(ServerConfig.DEFAULT_DATA_DIR);
        private TlsContextSource tls;
        private CredentialStore credentials;
        private UserDirectory users;
        private StorageProvider storage;
        private final List<XmppModule> modules = new ArrayList<>();
        private boolean serviceModules = true;
        private Set<String> disabledModules = Set.of();
        private boolean allowPlaintextAuth;
        private boolean plainWithScram;
        private Duration plainCache = DEFAULT_PLAIN_CACHE;
        private SaslMechanisms mechanisms;
        private C2sLimits limits = C2sLimits.defaults();
        private StreamManagementConfig streamManagement = StreamManagementConfig.defaults();
        private int threads;
        private final Map<String, Object> options = new HashMap<>();
        private int s2sPort = ServerConfig.DEFAULT_S2S_PORT;
        private int s2sDirectTlsPort = -1;
        private final Map<String, InetSocketAddress> s2sHosts = new HashMap<>();
        private InetSocketAddress s2sDnsServer;
        private S2sTrust s2sTrust;
        private boolean dialback = true;
        private final Set<String> s2sAllow = new HashSet<>();
        private final Set<String> s2sDeny = new HashSet<>();
        private Duration s2sIdleTimeout = DEFAULT_S2S_IDLE_TIMEOUT;
        private Duration s2sSetupTimeout = DEFAULT_S2S_SETUP_TIMEOUT;
        private Duration s2sConnectTimeout = DEFAULT_S2S_CONNECT_TIMEOUT;

        private Builder() {
        }

        /**
         * The server-to-server port (RFC 6120 §14.7), 0 for any free port, -1 to disable federation's
         * listener; {@value ServerConfig#DEFAULT_S2S_PORT} by default. Outbound streams work either way.
         */
        public Builder s2sPort(int value) {
            this.s2sPort = value;
            return this;
        }

        /** The server-to-server direct TLS port (XEP-0368), 0 for any, -1 (the default) to disable. */
        public Builder s2sDirectTlsPort(int value) {
            this.s2sDirectTlsPort = value;
            return this;
        }

        /**
         * Fixed addresses of remote domains' servers, used instead of DNS: for split DNS and tests.
         * Streams to these start with STARTTLS.
         */
        public Builder s2sHosts(Map<String, InetSocketAddress> value) {
            s2sHosts.putAll(value);
            return this;
        }

        /** The DNS server for SRV and address lookups of remote domains; the system's by default. */
        public Builder s2sDnsServer(InetSocketAddress value) {
            this.s2sDnsServer = value;
            return this;
        }

        /**
         * Which certificate authorities vouch for peer servers' certificates (SASL EXTERNAL,
         * XEP-0178); the JDK's default trust store by default.
         */
        public Builder s2sTrust(S2sTrust value) {
            this.s2sTrust = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Whether peers whose certificates do not validate may authenticate with Server Dialback
         * (XEP-0220); {@code true} by default. {@code false} requires valid certificates both ways.
         */
        public Builder dialback(boolean value) {
            this.dialback = value;
            return this;
        }

        /** If not empty, the only remote domains this server federates with. */
        public Builder s2sAllow(Collection<String> domains) {
            s2sAllow.addAll(domains);
            return this;
        }

        /** Remote domains this server never federates with. */
        public Builder s2sDeny(Collection<String> domains) {
            s2sDeny.addAll(domains);
            return this;
        }

        /** How long a server stream may be idle before it is closed; 5 minutes by default. */
        public Builder s2sIdleTimeout(Duration value) {
            this.s2sIdleTimeout = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How long an outbound server stream may take to become ready before its queued stanzas
         * bounce with {@code remote-server-timeout}; 30 seconds by default.
         */
        public Builder s2sSetupTimeout(Duration value) {
            this.s2sSetupTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** How long one TCP connection attempt to a peer may take; 10 seconds by default. */
        public Builder s2sConnectTimeout(Duration value) {
            this.s2sConnectTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** The XMPP domain; {@value ServerConfig#DEFAULT_DOMAIN} by default. */
        public Builder domain(String value) {
            this.domain = value;
            return this;
        }

        /** The listening address; {@value ServerConfig#DEFAULT_BIND} by default. */
        public Builder bindAddress(String value) {
            this.bindAddress = value;
            return this;
        }

        /** The STARTTLS client port, 0 for any free port; {@value ServerConfig#DEFAULT_PORT} by default. */
        public Builder c2sPort(int value) {
            this.c2sPort = value;
            return this;
        }

        /** The direct TLS client port, 0 for any, -1 to disable; {@value ServerConfig#DEFAULT_TLS_PORT} by default. */
        public Builder directTlsPort(int value) {
            this.directTlsPort = value;
            return this;
        }

        /** Where the generated certificate is kept when none is configured. */
        public Builder dataDirectory(Path value) {
            this.dataDir = value;
            return this;
        }

        /** The TLS certificate source; a self-signed certificate in the data directory by default. */
        public Builder tls(TlsContextSource value) {
            this.tls = value;
            return this;
        }

        /** The PEM certificate chain and PKCS#8 key, reloaded when they change. */
        public Builder certificate(Path certFile, Path keyFile) {
            this.tls = TlsContextSource.fromPem(certFile, keyFile);
            return this;
        }

        /** The users' credentials; required. */
        public Builder credentials(CredentialStore value) {
            this.credentials = value;
            return this;
        }

        /** Which accounts exist; by default those the credential store has SCRAM keys for. */
        public Builder users(UserDirectory value) {
            this.users = value;
            return this;
        }

        /** The storage; in memory by default. */
        public Builder storage(StorageProvider value) {
            this.storage = value;
            return this;
        }

        /** Adds a module besides those found with {@link ServiceLoader}. */
        public Builder module(XmppModule value) {
            modules.add(Objects.requireNonNull(value));
            return this;
        }

        /**
         * Leaves out the modules with these {@linkplain XmppModule#name() names}, e.g. {@code mam} for a
         * server that archives nothing.
         *
         * @throws IllegalArgumentException from {@link #build()} if a name matches no module
         */
        public Builder disableModules(Collection<String> names) {
            this.disabledModules = Set.copyOf(names);
            return this;
        }

        /** Whether to load the modules on the class path with {@link ServiceLoader}; true by default. */
        public Builder serviceModules(boolean value) {
            this.serviceModules = value;
            return this;
        }

        /** Allow authentication over connections without TLS; false by default, and only for testing. */
        public Builder allowPlaintextAuth(boolean value) {
            this.allowPlaintextAuth = value;
            return this;
        }

        /**
         * Offer PLAIN also where SCRAM can authenticate the user; false by default, since nothing
         * protects PLAIN from a downgrade (XEP-0474 §"Business Rules"). PLAIN stays offered where the
         * credential store cannot do SCRAM for the user.
         */
        public Builder plainWithScram(boolean value) {
            this.plainWithScram = value;
            return this;
        }

        /**
         * How long a password verified at a PLAIN login is remembered, so that the next PLAIN login
         * with it skips the key derivation ({@link CachingCredentialStore}); {@link Duration#ZERO}
         * remembers none. {@value XmppServer#DEFAULT_PLAIN_CACHE_SECONDS} s by default.
         */
        public Builder plainCache(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("negative duration: " + value);
            }
            this.plainCache = value;
            return this;
        }

        /**
         * The SASL mechanisms, in preference order; by default {@link SaslMechanisms#defaults(boolean)},
         * with PLAIN without TLS only where {@link #allowPlaintextAuth} allows authentication without TLS.
         */
        public Builder saslMechanisms(SaslMechanisms value) {
            this.mechanisms = Objects.requireNonNull(value);
            return this;
        }

        /** The limits of client connections; {@link C2sLimits#defaults()} by default. */
        public Builder limits(C2sLimits value) {
            this.limits = Objects.requireNonNull(value);
            return this;
        }

        /** XEP-0198 stream management; {@link StreamManagementConfig#defaults()} by default. */
        public Builder streamManagement(StreamManagementConfig value) {
            this.streamManagement = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Sets a typed module option, such as {@code mam.retention} (a {@link java.time.Duration})
         * or {@code offline.limit} (an {@link Integer}); each module documents its own.
         */
        public Builder option(String name, Object value) {
            options.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Event loop threads; 0 (the default) means one per core. Not Netty's two per core: a message
         * between sessions on different loops costs a thread handoff, which on a busy core is the
         * most expensive step of routing it.
         */
        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        /** Builds the server; nothing listens until {@link XmppServer#start()}. */
        public XmppServer build() {
            return new XmppServer(this);
        }
    }
}
