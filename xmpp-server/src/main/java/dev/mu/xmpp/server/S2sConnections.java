package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.Router;
import dev.mu.xmpp.router.spi.RemoteRouter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's outbound server-to-server streams, one per remote domain (RFC 6120 §13.2): it finds
 * the peer, connects, and queues stanzas until the stream is secured and authenticated; a peer that
 * cannot be reached gets the queued stanzas bounced.
 *
 * <p>Also carries the dialback verifications of inbound streams to the domains' authoritative
 * servers (XEP-0220 §2.3). Thread-safe: the router calls {@link #send} from any thread.
 */
final class S2sConnections implements RemoteRouter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S2sConnections.class);

    /** Stanzas kept for one remote domain while its stream is being set up. */
    static final int MAX_QUEUED = 10_000;

    private final S2sSettings settings;
    private final PeerResolver resolver;
    private final Duration connectTimeout;
    private final Map<String, Outgoing> outgoing = new ConcurrentHashMap<>();
    private final ExecutorService connector;
    private volatile Router router;
    private volatile EventLoopGroup group;
    private volatile Class<? extends Channel> channelType;

    S2sConnections(S2sSettings settings, PeerResolver resolver, Duration connectTimeout) {
        this.settings = settings;
        this.resolver = resolver;
        this.connectTimeout = connectTimeout;
        AtomicInteger n = new AtomicInteger();
        this.connector = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "xmpp-s2s-connect-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Begins connecting out; until then every remote stanza bounces. */
    void start(Router router, EventLoopGroup group, Class<? extends Channel> channelType) {
        this.router = router;
        this.channelType = channelType;
        this.group = group;
    }

    S2sSettings settings() {
        return settings;
    }

    /** The router inbound streams hand their stanzas to. */
    Router router() {
        return router;
    }

    @Override
    public void send(Stanza stanza, Bounces bounces) {
        String domain = stanza.to().domain().toLowerCase(Locale.ROOT);
        if (!settings.policy().permits(domain)) {
            bounces.bounce(stanza, StanzaError.Condition.NOT_ALLOWED);
            return;
        }
        if (group == null) {
            bounces.bounce(stanza, StanzaError.Condition.REMOTE_SERVER_NOT_FOUND);
            return;
        }
        while (true) {
            Outgoing o = outgoing.computeIfAbsent(domain, this::open);
            if (o.offer(stanza, bounces)) {
                return;
            }
            // It failed or closed in the meantime: it is out of the map now, so a fresh one is made.
            outgoing.remove(domain, o);
        }
    }

    /**
     * XEP-0220 §2.3.1: asks the authoritative server of {@code domain} whether {@code key} is the one
     * it made for the stream {@code streamId}; {@code answer} gets {@code false} when it cannot be asked.
     */
    void verify(String domain, String streamId, String key, Consumer<Boolean> answer) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (group == null) {
            answer.accept(false);
            return;
        }
        while (true) {
            Outgoing o = outgoing.computeIfAbsent(d, this::open);
            if (o.verify(streamId, key, answer)) {
                return;
            }
            outgoing.remove(d, o);
        }
    }

    private Outgoing open(String domain) {
        Outgoing o = new Outgoing(domain);
        connector.execute(o::connect);
        return o;
    }

    @Override
    public void close() {
        connector.shutdownNow();
        for (Outgoing o : outgoing.values()) {
            o.fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, "server shutting down");
        }
        outgoing.clear();
    }

    private record Queued(Stanza stanza, Bounces bounces) {
    }

    private record Verification(String streamId, String key, Consumer<Boolean> answer) {
    }

    /** One remote domain's outbound stream and what waits for it. Guarded by its own lock. */
    final class Outgoing {
        final String domain;
        private final Queue<Queued> queue = new ArrayDeque<>();
        private final List<Verification> verifications = new ArrayList<>();
        private Channel channel;
        /** The stream is secured: dialback verifications may be sent on it. */
        private boolean secured;
        /** The stream is authenticated: stanzas may be sent on it. */
        private boolean ready;
        private boolean done;
        private ScheduledFuture<?> setupTimer;

        Outgoing(String domain) {
            this.domain = domain;
        }

        /** Sends or queues a stanza; {@code false} when this stream is finished and takes nothing more. */
        synchronized boolean offer(Stanza stanza, Bounces bounces) {
            if (done) {
                return false;
            }
            if (ready) {
                write(stanza.element());
            } else if (queue.size() >= MAX_QUEUED) {
                bounces.bounce(stanza, StanzaError.Condition.RESOURCE_CONSTRAINT);
            } else {
                queue.add(new Queued(stanza, bounces));
            }
            return true;
        }

        synchronized boolean verify(String streamId, String key, Consumer<Boolean> answer) {
            if (done) {
                return false;
            }
            if (secured) {
                write(Dialback.verify(settings.domain().domain(), domain, streamId, key));
            }
            verifications.add(new Verification(streamId, key, answer));
            return true;
        }

        /** Runs on a connector thread: resolves the domain and tries its targets in order. */
        void connect() {
            synchronized (this) {
                if (done) {
                    return;
                }
                setupTimer = group.schedule(() -> fail(StanzaError.Condition.REMOTE_SERVER_TIMEOUT,
                        "not ready after " + settings.setupTimeout()), settings.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            List<PeerResolver.Target> targets;
            try {
                targets = resolver.resolve(domain);
            } catch (RuntimeException e) {
                log.info("xmpp s2s: cannot resolve {}: {}", domain, e.toString());
                targets = List.of();
            }
            for (PeerResolver.Target target : targets) {
                ChannelFuture f = new Bootstrap()
                        .group(group)
                        .channel(channelType)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                        .handler(new Initializer(target.directTls()))
                        .connect(target.address())
                        .awaitUninterruptibly();
                if (f.isSuccess()) {
                    log.debug("xmpp s2s: connected to {} at {}", domain, target);
                    return;
                }
                log.info("xmpp s2s: {} at {} refused: {}", domain, target.address(), f.cause().toString());
            }
            fail(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND, targets.isEmpty() ? "no address" : "no target accepted");
        }

        /** The connection is up; {@code false} when this stream was given up meanwhile. */
        synchronized boolean attach(Channel c) {
            channel = c;
            return !done;
        }

        /** The stream is encrypted; verifications that waited go out now. */
        synchronized void secured() {
            if (done || secured) {
                return;
            }
            secured = true;
            for (Verification v : verifications) {
                write(Dialback.verify(settings.domain().domain(), domain, v.streamId(), v.key()));
            }
        }

        /** The peer accepted this server's domain: the queue goes out, in order. */
        synchronized void authenticated() {
            if (done || ready) {
                return;
            }
            ready = true;
            setupTimer.cancel(false);
            log.info("xmpp s2s: outbound stream to {} ready", domain);
            Queued q;
            while ((q = queue.poll()) != null) {
                write(q.stanza().element());
            }
        }

        /** The authoritative server answered a verification. */
        void verified(String streamId, boolean valid) {
            Verification match = null;
            synchronized (this) {
                for (Verification v : verifications) {
                    if (v.streamId().equals(streamId)) {
                        match = v;
                        break;
                    }
                }
                verifications.remove(match);
            }
            if (match != null) {
                match.answer().accept(valid);
            }
        }

        /** The stream could not be set up or ended: what waits bounces, and the domain starts afresh. */
        void fail(StanzaError.Condition condition, String reason) {
            List<Queued> bounced;
            List<Verification> unanswered;
            Channel c;
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                if (setupTimer != null) {
                    setupTimer.cancel(false);
                }
                bounced = new ArrayList<>(queue);
                queue.clear();
                unanswered = new ArrayList<>(verifications);
                verifications.clear();
                c = channel;
            }
            outgoing.remove(domain, this);
            if (!bounced.isEmpty() || !ready) {
                log.info("xmpp s2s: stream to {} failed ({}): {} stanzas bounced with {}", domain, reason,
                        bounced.size(), condition.elementName());
            }
            for (Queued q : bounced) {
                q.bounces().bounce(q.stanza(), condition);
            }
            for (Verification v : unanswered) {
                v.answer().accept(false);
            }
            if (c != null && c.isOpen()) {
                S2sOutboundHandler h = c.pipeline().get(S2sOutboundHandler.class);
                if (h != null) {
                    h.closeStream(null, null);
                } else {
                    c.close();
                }
            }
        }

        /** Writes on the channel's event loop, so that writes keep the order they were made in. */
        private void write(XmlElement element) {
            Channel c = channel;
            c.eventLoop().execute(() -> c.writeAndFlush(element, c.voidPromise()));
        }

        /** The pipeline of one outbound stream: [TLS] → decoder → encoder → idle timer → stream. */
        private final class Initializer extends ChannelInitializer<Channel> {
            private final boolean directTls;

            Initializer(boolean directTls) {
                this.directTls = directTls;
            }

            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                if (directTls) {
                    // XEP-0368 §3: TLS from the first byte, with the domain as SNI.
                    p.addLast(S2sChannelInitializer.TLS, settings.tls().s2sClientContext(true)
                            .newHandler(ch.alloc(), domain, PeerResolver.DEFAULT_PORT));
                }
                p.addLast(S2sChannelInitializer.DECODER, new XmppStreamDecoder(settings.decoderConfig()));
                p.addLast(S2sChannelInitializer.ENCODER, new StanzaEncoder(Stanza.SERVER_NS));
                p.addLast(S2sChannelInitializer.IDLE, new IdleStateHandler(0, 0,
                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                p.addLast(new S2sOutboundHandler(settings, Outgoing.this, directTls));
            }
        }
    }
}
