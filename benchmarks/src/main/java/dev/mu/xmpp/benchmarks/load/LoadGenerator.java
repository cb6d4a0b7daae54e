package dev.mu.xmpp.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.HdrHistogram.Histogram;

/**
 * Puts load on an XMPP server over loopback and reports what it measured: N clients log in (SASL
 * SCRAM-SHA-1, SCRAM-SHA-256 or PLAIN, over STARTTLS unless {@code --no-tls}), bind a resource, send
 * initial presence, and then, depending on the {@link LoadOptions.Scenario scenario}, log in and out
 * repeatedly, sit idle, or send one-to-one chat messages to random other users, at a fixed rate or as
 * fast as the server delivers them. Options: {@link LoadOptions}.
 *
 * <p>Reported: logins per second and login time; messages delivered per second; delivery latency
 * p50, p99, p99.9 and max from the send stamp in each body (at a fixed rate the stamp is the time the
 * message was due, so a generator or server that falls behind shows up as latency rather than being
 * hidden by coordinated omission); errors by kind; and with {@code --server-pid} the server's RSS
 * before and after the sessions and its CPU time per login and per delivered message, from
 * {@code /proc}. When that server is a JVM, the idle scenario also takes its {@link HeapHistogram}
 * before and after the sessions: live heap per session, the classes that grew, and RSS after a full
 * collection. The last line of the output is a {@code RESULT key=value ...} line for scripts.
 *
 * <p>Every phase is bounded in time: logins by {@code --login-timeout}, traffic by
 * {@code --warmup} + {@code --duration}, draining by {@value #DRAIN_SECONDS} s; the generator then
 * closes its streams and exits. It connects to loopback addresses only.
 *
 * <p>Sizing: a session is one socket on each side, so {@code --users} is bounded by the open-file
 * limit of both processes ({@code ulimit -n}) and by the ephemeral ports of one source address
 * ({@code net.ipv4.ip_local_port_range}, about 28,000 by default).
 */
public final class LoadGenerator {

    /** Longest wait for messages still in flight when sending stops. */
    static final int DRAIN_SECONDS = 3;
    /** Messages one event loop sends per tick at most. */
    private static final int MAX_BATCH = 512;
    /**
     * Tick of the fixed-rate drivers. A message waits for the tick after it was due and its latency
     * counts from when it was due, so the tick adds half of itself to the median: 100 µs, not 1 ms.
     */
    private static final long RATE_TICK_MICROS = 100;
    /** Tick of the unlimited drivers, whose batches are bounded by the window instead. */
    private static final long UNLIMITED_TICK_MICROS = 1000;

    private final LoadOptions options;
    private final LoadStats stats = new LoadStats();
    private final ServerProcess server;
    private final Map<String, byte[][]> scramKeys = new ConcurrentHashMap<>();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<ClientConnection> pending = ConcurrentHashMap.newKeySet();
    private final Set<ClientConnection> online = new LinkedHashSet<>();
    private final Object lock = new Object();
    private final ClientConnection.Listener listener = new Listener();
    private EventLoopGroup group;
    private Bootstrap bootstrap;
    private SslContext tls;
    private InetSocketAddress address;
    private boolean storm;
    private boolean launching;
    private int launched;
    private CountDownLatch settled;

    /** A generator with the given settings; {@link #run()} runs it. */
    LoadGenerator(LoadOptions options) {
        this.options = options;
        this.server = ServerProcess.of(options.serverPid());
    }

    /** Runs the scenario the command line names and prints the report. */
    public static void main(String[] args) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            LoadReport report = new LoadGenerator(options).run();
            System.out.println(report.table());
            System.out.println(report.line());
        } catch (IllegalArgumentException | SSLException | UnknownHostException e) {
            System.err.println("load: " + e.getMessage());
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /**
     * Runs the scenario and returns its figures.
     *
     * @throws IllegalArgumentException if the host is not a loopback address
     */
    LoadReport run() throws InterruptedException, SSLException, UnknownHostException {
        InetAddress host = InetAddress.getByName(options.host());
        if (!host.isLoopbackAddress()) {
            throw new IllegalArgumentException(options.host() + " is not a loopback address; this generator only loads local servers");
        }
        address = new InetSocketAddress(host, options.port());
        // BoringSSL when its native library loads: the JDK's engine costs the generator more CPU per
        // message than the server it measures, and both share one machine.
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        tls = options.tls()
                ? SslContextBuilder.forClient().sslProvider(provider).trustManager(InsecureTrustManagerFactory.INSTANCE).build()
                : null;
        // epoll as the server uses it: NIO's selector costs the generator a few µs more per message.
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(options.threads(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        LoadReport report = new LoadReport()
                .put("scenario", options.scenario().name().toLowerCase(java.util.Locale.ROOT))
                .put("users", options.users())
                .put("tls", options.tls())
                .put("tls_engine", tls == null ? "none" : provider.name().toLowerCase(java.util.Locale.ROOT))
                .put("mechanism", options.mechanism());
        try {
            if (options.scenario() == LoadOptions.Scenario.LOGIN) {
                loginStorm(report);
            } else {
                sessions(report);
            }
        } finally {
            shutdown();
        }
        report.put("errors", stats.errors())
                .put("connect_errors", stats.connectErrors.sum())
                .put("auth_errors", stats.authErrors.sum())
                .put("stream_errors", stats.streamErrors.sum())
                .put("stanza_errors", stats.stanzaErrors.sum())
                .put("unexpected_closes", stats.unexpectedCloses.sum());
        return report;
    }

    /** Logs users in and out, {@code --concurrency} at a time, for warmup + duration. */
    private void loginStorm(LoadReport report) throws InterruptedException {
        storm = true;
        synchronized (lock) {
            launching = true;
            launchMore();
        }
        TimeUnit.SECONDS.sleep(options.warmupSeconds());
        stats.loginLatencies();
        report.put("measured_from_ms", System.currentTimeMillis());
        long logins0 = stats.logins.sum();
        long cpu0 = server.cpuMicros();
        long gen0 = generatorCpuMicros();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(options.durationSeconds());
        long logins = stats.logins.sum() - logins0;
        long cpu = server.cpuMicros() - cpu0;
        long gen = generatorCpuMicros() - gen0;
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.put("measured_to_ms", System.currentTimeMillis());
        synchronized (lock) {
            launching = false;
        }
        Histogram h = stats.loginLatencies();
        report.put("logins", logins)
                .put("logins_per_s", logins / seconds)
                .put("login_p50_ms", h.getValueAtPercentile(50) / 1000.0)
                .put("login_p99_ms", h.getValueAtPercentile(99) / 1000.0)
                .put("server_cpu_us_per_login", server.known() && logins > 0 ? cpu / (double) logins : -1.0)
                .put("generator_cpu_us_per_login", logins > 0 ? gen / (double) logins : -1.0);
    }

    /** Logs every user in once, then holds the sessions idle or makes them chat. */
    private void sessions(LoadReport report) throws InterruptedException {
        HeapHistogram heap0 = options.scenario() == LoadOptions.Scenario.IDLE ? histogram("before") : null;
        long rss0 = server.rssKib();
        long cpu0 = server.cpuMicros();
        long t0 = System.nanoTime();
        report.put("logins_from_ms", System.currentTimeMillis());
        settled = new CountDownLatch(options.users());
        synchronized (lock) {
            launching = true;
            launchMore();
        }
        boolean all = settled.await(options.loginTimeoutSeconds(), TimeUnit.SECONDS);
        synchronized (lock) {
            launching = false;
        }
        double loginSeconds = (System.nanoTime() - t0) / 1e9;
        report.put("logins_to_ms", System.currentTimeMillis());
        long cpuLogin = server.cpuMicros() - cpu0;
        int sessions;
        synchronized (lock) {
            sessions = online.size();
        }
        Histogram logins = stats.loginLatencies();
        report.put("online", sessions)
                .put("login_complete", all)
                .put("logins_per_s", sessions / loginSeconds)
                .put("login_p50_ms", logins.getValueAtPercentile(50) / 1000.0)
                .put("login_p99_ms", logins.getValueAtPercentile(99) / 1000.0)
                .put("server_cpu_us_per_login", server.known() && sessions > 0 ? cpuLogin / (double) sessions : -1.0);
        if (options.scenario() == LoadOptions.Scenario.IDLE) {
            idle(report, rss0, heap0, sessions);
        } else if (sessions >= 2) {
            chat(report);
        }
    }

    /**
     * Measures the held sessions: RSS growth after the server settled, then live heap and RSS after a
     * full collection (the class histogram runs one), and the idle CPU in between.
     */
    private void idle(LoadReport report, long rss0, HeapHistogram heap0, int sessions) throws InterruptedException {
        // Let the server settle (deferred allocations, queued writes) before reading its RSS.
        TimeUnit.SECONDS.sleep(Math.min(2, options.durationSeconds()));
        long rssSettled = server.rssKib();
        long cpu0 = server.cpuMicros();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(options.durationSeconds());
        long cpu = server.cpuMicros() - cpu0;
        double seconds = (System.nanoTime() - t0) / 1e9;
        HeapHistogram heap1 = heap0 == null ? null : histogram("after");
        long rss1 = server.rssKib();
        boolean measured = server.known() && sessions > 0;
        report.put("rss_before_kib", rss0)
                .put("rss_settled_kib", rssSettled)
                .put("rss_after_kib", rss1)
                .put("rss_per_session_kib", measured ? (rss1 - rss0) / (double) sessions : -1.0)
                .put("heap_before_kib", heap0 == null ? -1 : heap0.totalBytes() / 1024)
                .put("heap_after_kib", heap1 == null ? -1 : heap1.totalBytes() / 1024)
                .put("heap_per_session_bytes", measured && heap1 != null
                        ? (heap1.totalBytes() - heap0.totalBytes()) / (double) sessions : -1.0)
                .put("server_cpu_idle_percent", server.known() ? cpu / seconds / 1e4 : -1.0);
        if (measured && heap1 != null) {
            System.out.println("Live heap growth per session by class (bytes, instances):");
            heap1.growth(heap0, sessions, 25).forEach(System.out::println);
        }
    }

    /**
     * The server's live objects after a full collection, saved to {@code --histograms} if given; {@code null}
     * if the server is not a JVM or {@code jcmd} fails.
     */
    private HeapHistogram histogram(String name) throws InterruptedException {
        if (!server.isJvm()) {
            return null;
        }
        try {
            HeapHistogram h = HeapHistogram.of(server.pid());
            if (options.histogramDir() != null) {
                Files.createDirectories(options.histogramDir());
                Files.writeString(options.histogramDir().resolve("histogram-" + name + ".txt"), h.text());
            }
            return h;
        } catch (IOException e) {
            stats.problem("heap histogram " + name + ": " + e.getMessage());
            return null;
        }
    }

    private void chat(LoadReport report) throws InterruptedException {
        boolean unlimited = options.scenario() == LoadOptions.Scenario.MAX;
        List<ScheduledFuture<?>> ticks = startDrivers(unlimited);
        TimeUnit.SECONDS.sleep(options.warmupSeconds());
        stats.deliveryLatencies();
        stats.sendDelays();
        report.put("measured_from_ms", System.currentTimeMillis());
        long sent0 = stats.sent.sum();
        long delivered0 = stats.delivered.sum();
        long cpu0 = server.cpuMicros();
        long gen0 = generatorCpuMicros();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(options.durationSeconds());
        long delivered = stats.delivered.sum() - delivered0;
        long sent = stats.sent.sum() - sent0;
        long cpu = server.cpuMicros() - cpu0;
        long gen = generatorCpuMicros() - gen0;
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.put("measured_to_ms", System.currentTimeMillis());
        ticks.forEach(t -> t.cancel(false));
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (stats.delivered.sum() + stats.stanzaErrors.sum() < stats.sent.sum() && System.nanoTime() < drainUntil) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        Histogram h = stats.deliveryLatencies();
        Histogram late = stats.sendDelays();
        report.put("rate_target", unlimited ? -1 : options.rate())
                .put("sent_per_s", sent / seconds)
                .put("delivered_per_s", delivered / seconds)
                .put("latency_p50_ms", h.getValueAtPercentile(50) / 1000.0)
                .put("latency_p99_ms", h.getValueAtPercentile(99) / 1000.0)
                .put("latency_p999_ms", h.getValueAtPercentile(99.9) / 1000.0)
                .put("latency_max_ms", h.getMaxValue() / 1000.0)
                .put("send_delay_p50_ms", unlimited ? -1.0 : late.getValueAtPercentile(50) / 1000.0)
                .put("send_delay_p99_ms", unlimited ? -1.0 : late.getValueAtPercentile(99) / 1000.0)
                .put("delivered_total", stats.delivered.sum())
                .put("undelivered", stats.sent.sum() - stats.delivered.sum())
                .put("server_cpu_us_per_msg", server.known() && delivered > 0 ? cpu / (double) delivered : -1.0)
                .put("server_cpu_percent", server.known() ? cpu / seconds / 1e4 : -1.0)
                .put("generator_cpu_us_per_msg", delivered > 0 ? gen / (double) delivered : -1.0);
    }

    /** One driver per event loop, over the sessions of that loop. */
    private List<ScheduledFuture<?>> startDrivers(boolean unlimited) {
        Map<EventLoop, List<ClientConnection>> byLoop = new HashMap<>();
        int[] recipients;
        synchronized (lock) {
            for (ClientConnection c : online) {
                byLoop.computeIfAbsent(c.channel().eventLoop(), l -> new ArrayList<>()).add(c);
            }
            recipients = online.stream().mapToInt(ClientConnection::user).toArray();
        }
        byte[][] heads = new byte[options.users() + 1][];
        for (int user : recipients) {
            heads[user] = ("<message type='chat' to='" + options.user(user) + "@" + options.domain() + "'><body>")
                    .getBytes(StandardCharsets.UTF_8);
        }
        List<ScheduledFuture<?>> ticks = new ArrayList<>();
        long start = System.nanoTime();
        long seed = 42;
        for (Map.Entry<EventLoop, List<ClientConnection>> e : byLoop.entrySet()) {
            double share = e.getValue().size() / (double) recipients.length;
            Driver d = new Driver(e.getValue().toArray(ClientConnection[]::new), recipients, heads,
                    unlimited ? 0 : options.rate() * share / 1e9, start, new SplittableRandom(seed++));
            long tick = unlimited ? UNLIMITED_TICK_MICROS : RATE_TICK_MICROS;
            ticks.add(e.getKey().scheduleAtFixedRate(d, 0, tick, TimeUnit.MICROSECONDS));
        }
        return ticks;
    }

    /**
     * Sends the messages due on one event loop: at a fixed rate, as many as the elapsed time asks for
     * (catching up after a late tick), each stamped with the time it was due; unlimited, as many as
     * the window of messages in flight allows, stamped now. Each sender is flushed once per tick.
     */
    private final class Driver implements Runnable {
        private final ClientConnection[] senders;
        private final int[] recipients;
        private final byte[][] heads;
        /** Messages per nanosecond, 0 for unlimited. */
        private final double perNano;
        private final long start;
        private final SplittableRandom random;
        private final List<ClientConnection> written = new ArrayList<>();
        private long sent;

        Driver(ClientConnection[] senders, int[] recipients, byte[][] heads, double perNano, long start,
               SplittableRandom random) {
            this.senders = senders;
            this.recipients = recipients;
            this.heads = heads;
            this.perNano = perNano;
            this.start = start;
            this.random = random;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long budget = perNano == 0 ? MAX_BATCH : Math.min(MAX_BATCH, (long) ((now - start) * perNano) - sent);
            long inFlight = stats.sent.sum() - stats.delivered.sum() - stats.stanzaErrors.sum();
            budget = Math.min(budget, options.window() - inFlight);
            for (long i = 0; i < budget; i++) {
                ClientConnection from = senders[random.nextInt(senders.length)];
                if (!from.writable()) {
                    break;
                }
                int to = recipients[random.nextInt(recipients.length)];
                if (to == from.user()) {
                    continue;
                }
                long stamp = perNano == 0 ? now : start + (long) (sent / perNano);
                if (perNano != 0) {
                    stats.sentLate(stamp, now);
                }
                from.sendMessage(heads[to], stamp);
                sent++;
                stats.sent.increment();
                written.add(from);
            }
            for (ClientConnection c : written) {
                c.flush();
            }
            written.clear();
        }
    }

    /** Starts logins until {@code --concurrency} are in progress. Holds {@link #lock}. */
    private void launchMore() {
        while (launching && pending.size() < options.concurrency() && (storm || launched < options.users())) {
            int user = launched % options.users() + 1;
            launched++;
            connect(user);
        }
    }

    private void connect(int user) {
        ClientConnection c = new ClientConnection(options, stats, scramKeys, tls, listener, user);
        pending.add(c);
        connections.add(c);
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                c.initPipeline(ch);
            }
        }).connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                stats.connectErrors.increment();
                stats.problem(options.user(user) + ": connect failed: " + f.cause());
                listener.ended(c);
            }
        });
    }

    /** Closes every stream and stops the event loops, within a bounded time. */
    private void shutdown() throws InterruptedException {
        synchronized (lock) {
            launching = false;
        }
        for (ClientConnection c : connections) {
            if (c.channel() != null) {
                c.channel().eventLoop().execute(c::close);
            }
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!connections.isEmpty() && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    private static long generatorCpuMicros() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1000;
    }

    /** Keeps {@link #pending}, {@link #online} and the login launcher up to date. */
    private final class Listener implements ClientConnection.Listener {
        @Override
        public void online(ClientConnection c) {
            synchronized (lock) {
                pending.remove(c);
                if (storm) {
                    c.close();
                } else {
                    online.add(c);
                    settled.countDown();
                }
                launchMore();
            }
        }

        @Override
        public void ended(ClientConnection c) {
            synchronized (lock) {
                connections.remove(c);
                online.remove(c);
                if (pending.remove(c)) {
                    if (!storm) {
                        settled.countDown();
                    }
                    launchMore();
                }
            }
        }
    }
}
