package dev.mu.xmpp.router;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.stream.StreamNamespaces;
import dev.mu.xmpp.core.stream.XmppStreamWriter;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.memory.InMemoryRosterStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing chat messages between two in-memory sessions: alice sends, the {@link Router} stamps
 * {@code from}, looks bob up and writes to his transport. One operation is one routed message;
 * run with {@code -prof gc} for {@code gc.alloc.rate.norm}, the bytes allocated per routed stanza.
 *
 * <ul>
 *   <li>{@link #chatToBareJid}: {@code to='bob@example.com'}, delivered to his available resource
 *       with the highest priority (RFC 6121 §8.5.2.1.1).
 *   <li>{@link #chatToFullJid}: {@code to='bob@example.com/r1'} (RFC 6121 §8.5.3.1).
 *   <li>{@link #chatToFullJidEncoded}: as above, and bob's transport serializes the stanza into a
 *       reused buffer, as a connection's encoder would: routing plus encoding, without Netty.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RouterBenchmark {

    private static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";

    private Router router;
    private ClientSession alice;
    private CountingTransport aliceTransport;
    private CountingTransport bobTransport;
    private XmlElement toBare;
    private XmlElement toFull;

    /** A transport that keeps the last stanza and a count; optionally serializes what it is given. */
    static final class CountingTransport implements SessionTransport {
        private final XmppStreamWriter writer = new XmppStreamWriter(StreamNamespaces.CLIENT);
        private final ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        boolean encode;
        long written;
        XmlElement last;

        @Override
        public void write(XmlElement stanza) {
            written++;
            last = stanza;
            if (encode) {
                out.clear();
                writer.writeElement(stanza, out);
            }
        }

        @Override
        public void close(StreamError error, String text) {
            throw new IllegalStateException("closed: " + error + " " + text);
        }

        void release() {
            out.release();
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws BindException {
        router = Router.builder(DomainJid.of("example.com"))
                .users(u -> true)
                .rosters(new InMemoryRosterStore())
                .build();
        aliceTransport = new CountingTransport();
        bobTransport = new CountingTransport();
        alice = router.newSession(aliceTransport);
        ClientSession bob = router.newSession(bobTransport);
        router.bind(alice, EntityBareJid.of("alice", "example.com"), "r1");
        router.bind(bob, EntityBareJid.of("bob", "example.com"), "r1");
        // RFC 6121 §4.2: initial presence makes both available, so bare-JID messages are delivered.
        router.receive(alice, XmlElement.empty("", "presence"));
        router.receive(bob, XmlElement.empty("", "presence"));
        toBare = chat("bob@example.com");
        toFull = chat("bob@example.com/r1");
        check(toBare);
        check(toFull);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        aliceTransport.release();
        bobTransport.release();
        router.close();
    }

    /** A chat message as a client sends it: no {@code from}, a body, a chat state and a receipt request. */
    private static XmlElement chat(String to) {
        return XmlElement.builder("", "message")
                .attribute("to", to)
                .attribute("type", "chat")
                .attribute("id", "3f1c0a7e-42")
                .child(XmlElement.builder("", "body").text("Are we still on for lunch at noon? 🍜").build())
                .child(XmlElement.empty(CHAT_STATES, "active"))
                .child(XmlElement.empty("urn:xmpp:receipts", "request"))
                .build();
    }

    /** Fails the trial unless a message reaches bob, and only bob. */
    private void check(XmlElement message) {
        long bobBefore = bobTransport.written;
        long aliceBefore = aliceTransport.written;
        router.receive(alice, message);
        if (bobTransport.written != bobBefore + 1 || aliceTransport.written != aliceBefore) {
            throw new IllegalStateException("the message was not routed to bob alone: " + bobTransport.last);
        }
        if (!"alice@example.com/r1".equals(bobTransport.last.attribute("from"))) {
            throw new IllegalStateException("from not stamped: " + bobTransport.last);
        }
    }

    @Benchmark
    public XmlElement chatToBareJid() {
        bobTransport.encode = false;
        router.receive(alice, toBare);
        return bobTransport.last;
    }

    @Benchmark
    public XmlElement chatToFullJid() {
        bobTransport.encode = false;
        router.receive(alice, toFull);
        return bobTransport.last;
    }

    @Benchmark
    public XmlElement chatToFullJidEncoded() {
        bobTransport.encode = true;
        router.receive(alice, toFull);
        return bobTransport.last;
    }
}
