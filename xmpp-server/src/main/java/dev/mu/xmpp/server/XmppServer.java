package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import dev.mu.xmpp.router.Router;
import dev.mu.xmpp.router.memory.InMemoryStorageProvider;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.UserDirectory;
import dev.mu.xmpp.router.spi.XmppModule;
import dev.mu.xmpp.sasl.CredentialStore;
import dev.mu.xmpp.sasl.SaslMechanisms;
import dev.mu.xmpp.sasl.ScramHash;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An XMPP server: client listeners with STARTTLS and direct TLS, a router and its modules.
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

    private final Builder config;
    private final DomainJid domain;
    private final TlsContextSource tls;
    private final StorageProvider storage;
    private final Router router;
    private final SaslMechanisms mechanisms = SaslMechanisms.defaults();
    private EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();

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
        this.router = Router.builder(domain).users(users).storage(storage).options(b.options).modules(modules).build();
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
        group = new MultiThreadIoEventLoopGroup(config.threads, io);
        C2sSettings settings = new C2sSettings(domain, router, config.credentials, mechanisms, tls,
                config.allowPlaintextAuth, XmppDecoderConfig.defaults());
        try {
            listeners.add(bind(channel, config.c2sPort, new C2sChannelInitializer(settings, false)));
            if (config.directTlsPort >= 0) {
                listeners.add(bind(channel, config.directTlsPort, new C2sChannelInitializer(settings, true)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("xmpp server for {} listening on {} ({} transport)", domain,
                listeners.stream().map(Channel::localAddress).toList(), epoll ? "epoll" : "nio");
        return this;
    }

    private Channel bind(Class<? extends ServerChannel> channel, int port, C2sChannelInitializer init) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
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
        private boolean allowPlaintextAuth;
        private int threads;
        private final Map<String, Object> options = new HashMap<>();

        private Builder() {
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
         * Sets a typed module option, such as {@code mam.retention} (a {@link java.time.Duration})
         * or {@code offline.limit} (an {@link Integer}); each module documents its own.
         */
        public Builder option(String name, Object value) {
            options.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** Event loop threads; 0 (the default) lets Netty use twice the number of cores. */
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
