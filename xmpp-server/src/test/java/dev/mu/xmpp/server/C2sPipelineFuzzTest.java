package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stream.StanzaEncoder;
import dev.mu.xmpp.core.stream.XmppStreamDecoder;
import dev.mu.xmpp.router.Router;
import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import dev.mu.xmpp.sasl.PlainMechanism;
import dev.mu.xmpp.sasl.SaslMechanisms;
import dev.mu.xmpp.server.sm.ResumableStreams;
import dev.mu.xmpp.server.sm.StreamManagementConfig;
import dev.mu.xmpp.xep.offline.OfflineModule;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes the whole client pipeline (stream decoder, stanza encoder, negotiation, SASL, binding,
 * XEP-0198 and an in-memory router) through an {@link EmbeddedChannel}, with random bytes, random
 * XMPP-shaped token streams and mutations of a stream Smack 4.4 really sent
 * ({@code smack-session.xml}, recorded by {@link ClientStreamRecorder}), each split into random chunks.
 *
 * <p>For every input: no exception escapes the pipeline or reaches the session handler's last
 * resort (TLS record errors after a fuzzed STARTTLS aside), nothing logs a warning, the input is
 * processed within a generous bound (a stall would hit it), and what the server writes back stays
 * proportional to the input.
 */
class C2sPipelineFuzzTest {

    static final String DOMAIN = "example.com";
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";
    static final String AUTH = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHdvbmRlcmxhbmQ=</auth>";
    static final String BIND = "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>";
    /** Processing one input may take at most this long; a bound against stalls, not a speed target. */
    static final long STALL_SECONDS = 20;

    static final AtomicLong inputs = new AtomicLong();
    static final AtomicLong inputBytes = new AtomicLong();
    static ExecutorService loop;
    static C2sSettings settings;
    static byte[] recorded;
    static ListAppender<ILoggingEvent> logs;
    static Path dataDir;

    @BeforeContainer
    static void setUp() throws IOException {
        dataDir = Files.createTempDirectory("c2s-fuzz");
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "wonderland");
        store.addUser("bob", "builder");
        Router router = Router.builder(DomainJid.of(DOMAIN)).users(u -> true).module(new OfflineModule()).build();
        C2sLimits limits = C2sLimits.builder().authFailureDelay(Duration.ZERO)
                .authFailuresPerAccount(Integer.MAX_VALUE).authFailuresPerAddress(Integer.MAX_VALUE).build();
        settings = new C2sSettings(DomainJid.of(DOMAIN), router, store,
                new SaslMechanisms(List.of(new PlainMechanism(true))),
                TlsContextSource.selfSigned(DOMAIN, dataDir), true, true, limits,
                new ResumableStreams(router, StreamManagementConfig.defaults()),
                new AuthThrottle(limits, Clock.systemUTC()), new ConnectionLimitHandler(Integer.MAX_VALUE));
        try (InputStream in = C2sPipelineFuzzTest.class.getResourceAsStream("smack-session.xml")) {
            recorded = in.readAllBytes();
        }
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        loop = Executors.newSingleThreadExecutor();
    }

    @AfterContainer
    static void report() {
        loop.shutdownNow();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        System.out.printf("C2sPipelineFuzzTest: %d inputs, %d bytes through the c2s pipeline%n",
                inputs.get(), inputBytes.get());
    }

    @Property(tries = 2000)
    void randomBytesAfterAnyPrefix(@ForAll @Size(max = 2048) byte[] bytes, @ForAll @IntRange(min = 0, max = 3) int stage,
                                   @ForAll long chunking) throws Exception {
        String prefix = switch (stage) {
            case 0 -> "";
            case 1 -> HEADER;
            case 2 -> HEADER + AUTH + HEADER;
            default -> HEADER + AUTH + HEADER + BIND + "<enable xmlns='urn:xmpp:sm:3' resume='true'/>";
        };
        feed(concat(prefix.getBytes(StandardCharsets.UTF_8), bytes), chunking);
    }

    @Property(tries = 3000)
    void mutationsOfARecordedSmackSession(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int mutations,
                                          @ForAll long chunking) throws Exception {
        feed(StreamMutator.mutate(recorded, new Random(seed), mutations), chunking);
    }

    @Property(tries = 2000)
    void randomXmppShapedStreams(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int tokens,
                                 @ForAll long chunking) throws Exception {
        feed(StreamMutator.tokens(new Random(seed), tokens), chunking);
    }

    /** Feeds one input in random chunks to a fresh connection, then checks what the module promises. */
    private static void feed(byte[] input, long chunking) throws Exception {
        inputs.incrementAndGet();
        inputBytes.addAndGet(input.length);
        int logsBefore = logs.list.size();
        Future<Long> run = loop.submit(() -> {
            EmbeddedChannel ch = pipeline();
            Random chunks = new Random(chunking);
            long out = 0;
            for (int i = 0; i < input.length && ch.isOpen(); ) {
                int n = Math.min(input.length - i, 1 + chunks.nextInt(chunks.nextBoolean() ? 8 : 512));
                ch.writeInbound(Unpooled.wrappedBuffer(input, i, n));
                ch.runPendingTasks();
                out += drain(ch);
                i += n;
            }
            ch.close();
            ch.runPendingTasks();
            out += drain(ch);
            ch.finishAndReleaseAll();
            ch.checkException();
            return out;
        });
        long written;
        try {
            written = run.get(STALL_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new AssertionError("the pipeline stalled on " + shown(input), e);
        }
        assertTrue(written <= 64 * 1024 + 64L * input.length, () -> written + " bytes written for " + input.length + " read");
        List<ILoggingEvent> problems = logs.list.subList(logsBefore, logs.list.size()).stream()
                .filter(C2sPipelineFuzzTest::problem).toList();
        assertEquals(List.of(), problems.stream().map(ILoggingEvent::getFormattedMessage).toList(),
                () -> "for input " + shown(input));
        logs.list.clear();
    }

    /** A warning anywhere, or an exception that reached the session handler's last resort. */
    private static boolean problem(ILoggingEvent e) {
        String m = e.getFormattedMessage();
        if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
            return !m.contains("xmpp tls:");
        }
        // A fuzzed STARTTLS makes the rest of the input TLS records, which TLS rightly rejects.
        return m.contains(" failed: ") && !m.contains("SSL") && !m.contains("Ssl");
    }

    private static EmbeddedChannel pipeline() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.pipeline().addLast(C2sChannelInitializer.DECODER, new XmppStreamDecoder(settings.limits().decoder()));
        ch.pipeline().addLast(C2sChannelInitializer.ENCODER, new StanzaEncoder(Stanza.CLIENT_NS));
        ch.pipeline().addLast(C2sChannelInitializer.IDLE, new IdleTimeouts(settings.limits().pingInterval(), settings.limits().parserReleaseDelay()).newHandler());
        ch.pipeline().addLast(C2sChannelInitializer.OUTBOUND_LIMIT, new OutboundBufferLimitHandler());
        ch.pipeline().addLast(C2sChannelInitializer.NEGOTIATION_TIMEOUT,
                new NegotiationTimeoutHandler(settings.limits().negotiationTimeout()));
        ch.pipeline().addLast(C2sChannelInitializer.SESSION, new C2sSessionHandler(settings, false));
        ch.register();
        return ch;
    }

    private static long drain(EmbeddedChannel ch) {
        long bytes = 0;
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof ByteBuf b) {
                bytes += b.readableBytes();
                b.release();
            }
        }
        return bytes;
    }

    /** The input for a failure message, cut short. */
    private static String shown(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        return s.length() <= 600 ? s : s.substring(0, 300) + " ... " + s.substring(s.length() - 300);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static {
        // Fixtures must exist before any property runs; a missing one is a broken build, not a pass.
        if (C2sPipelineFuzzTest.class.getResource("smack-session.xml") == null) {
            throw new UncheckedIOException(new IOException("smack-session.xml is missing"));
        }
    }
}
