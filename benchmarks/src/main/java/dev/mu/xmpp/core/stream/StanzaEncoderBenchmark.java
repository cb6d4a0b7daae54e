package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlElement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding the {@value ClientStreamCorpus#STANZAS} stanzas of {@link ClientStreamCorpus} (decoded
 * once in setup) to a {@code jabber:client} stream with {@link XmppStreamWriter} and
 * {@link StanzaEncoder}.
 *
 * <p>The primary score is <b>stanzas per second</b> ({@link OperationsPerInvocation}); the
 * {@link Bytes#megabytes} secondary score counts the bytes written, so it reads as <b>MB/s</b>.
 *
 * <ul>
 *   <li>{@link #fresh}: every element is serialized, as for a stanza the server writes once; the
 *       element's cache is cleared first, so every write is a first write (which caches nothing).
 *   <li>{@link #cached}: the pass-through case, a stanza already written twice (e.g. broadcast to
 *       several resources): the cached bytes are copied.
 *   <li>{@link #stanzaEncoderFresh}: as {@link #fresh}, through the Netty {@link StanzaEncoder} in an
 *       {@link EmbeddedChannel}, which allocates one pooled buffer per stanza.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class StanzaEncoderBenchmark {

    private List<XmlElement> elements;
    private XmppStreamWriter writer;
    private ByteBuf out;

    /** Counts the bytes written, reported per second by JMH: MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Megabytes (10<sup>6</sup> bytes) written. */
        public double megabytes;

        @Setup(Level.Iteration)
        public void clear() {
            megabytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        ClientStreamCorpus corpus = ClientStreamCorpus.build();
        elements = corpus.elements();
        writer = new XmppStreamWriter(StreamNamespaces.CLIENT);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(2 * corpus.length());
        System.out.println();
        System.out.println("# " + corpus.describe());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
    }

    @Benchmark
    @OperationsPerInvocation(ClientStreamCorpus.STANZAS)
    public void fresh(Bytes bytes, Blackhole bh) {
        out.clear();
        for (int i = 0; i < elements.size(); i++) {
            XmlElement e = elements.get(i);
            e.encodedCache(null);
            writer.writeElement(e, out);
        }
        bh.consume(out.writerIndex());
        bytes.megabytes += out.writerIndex() / 1e6;
    }

    @Benchmark
    @OperationsPerInvocation(ClientStreamCorpus.STANZAS)
    public void cached(Bytes bytes, Blackhole bh) {
        out.clear();
        for (int i = 0; i < elements.size(); i++) {
            writer.writeElement(elements.get(i), out);
        }
        bh.consume(out.writerIndex());
        bytes.megabytes += out.writerIndex() / 1e6;
    }

    @Benchmark
    @OperationsPerInvocation(ClientStreamCorpus.STANZAS)
    public void stanzaEncoderFresh(Bytes bytes, Blackhole bh) {
        EmbeddedChannel ch = new EmbeddedChannel(new StanzaEncoder(StreamNamespaces.CLIENT));
        long written = 0;
        for (int i = 0; i < elements.size(); i++) {
            XmlElement e = elements.get(i);
            e.encodedCache(null);
            ch.writeOneOutbound(e);
            if ((i & 63) == 63 || i == elements.size() - 1) {
                // A write loop flushes after a batch of writes, and the socket frees the buffers.
                ch.flushOutbound();
                ByteBuf buf;
                while ((buf = ch.readOutbound()) != null) {
                    written += buf.readableBytes();
                    bh.consume(buf);
                    buf.release();
                }
            }
        }
        ch.finishAndReleaseAll();
        bytes.megabytes += written / 1e6;
    }
}
