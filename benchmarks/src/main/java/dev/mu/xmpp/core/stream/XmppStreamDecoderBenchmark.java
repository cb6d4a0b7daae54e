package dev.mu.xmpp.core.stream;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding a realistic client stream ({@link ClientStreamCorpus}, about 1 MB, {@value
 * ClientStreamCorpus#STANZAS} stanzas) delivered in chunks of {@link #chunkSize} bytes, as socket
 * reads would deliver it.
 *
 * <p>One invocation decodes the whole stream, header to closing tag, with a fresh parser.
 * {@link OperationsPerInvocation} makes the primary score <b>stanzas per second</b>; the
 * {@link Bytes#megabytes} secondary score counts the stream's bytes, so it reads directly as
 * <b>MB/s</b> (10<sup>6</sup> bytes per second). Both are per thread; run with {@code -t 1} for a
 * per-core figure.
 *
 * <ul>
 *   <li>{@link #parser}: the Netty-free {@link XmppStreamParser}, pushed chunk by chunk from a direct
 *       buffer (views, never copies).
 *   <li>{@link #nettyDecoder}: the {@link XmppStreamDecoder} in an {@link EmbeddedChannel}, fed
 *       retained slices of one direct buffer, so the figure includes Netty's cumulation and
 *       pipeline but no copy of the "socket read".
 *   <li>{@link #aaltoBaseline}: not our code: Aalto's async reader alone, configured as the parser
 *       configures it, pulling every token and reading element names and namespaces, but building
 *       nothing and checking nothing. The ceiling of any design on top of Aalto.
 *   <li>{@link #aaltoBaselineByteArray}: the same with Aalto's {@code byte[]} feeder on a heap copy
 *       of the stream, to see what the {@code ByteBuffer} feeder costs.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class XmppStreamDecoderBenchmark {

    /** Bytes per chunk fed to the decoder: a small and a typical socket read. */
    @Param({"256", "4096"})
    public int chunkSize;

    private XmppDecoderConfig config;
    private ClientStreamCorpus corpus;
    private ByteBuffer direct;
    private ByteBuf directBuf;
    private byte[] heap;
    private XmppStreamParser parser;
    private InputFactoryImpl aalto;
    private int elements;

    /** Counts the bytes decoded, reported per second by JMH: MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Megabytes (10<sup>6</sup> bytes) of stream decoded. */
        public double megabytes;

        @Setup(Level.Iteration)
        public void clear() {
            megabytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        config = XmppDecoderConfig.defaults();
        corpus = ClientStreamCorpus.build();
        direct = corpus.directBuffer();
        heap = corpus.bytes();
        directBuf = Unpooled.wrappedBuffer(corpus.directBuffer());
        parser = new XmppStreamParser(config);
        aalto = new InputFactoryImpl();
        aalto.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        aalto.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        aalto.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        aalto.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        System.out.println();
        System.out.println("# " + corpus.describe());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        directBuf.release();
    }

    @Benchmark
    @OperationsPerInvocation(ClientStreamCorpus.STANZAS)
    public void parser(Bytes bytes, Blackhole bh) {
        parser.reset();
        elements = 0;
        Consumer<XmppStreamEvent> sink = event -> {
            if (event instanceof StreamElement) {
                elements++;
            }
            bh.consume(event);
        };
        ByteBuffer view = direct.duplicate();
        int length = view.limit();
        for (int offset = 0; offset < length; offset += chunkSize) {
            view.limit(Math.min(offset + chunkSize, length));
            parser.parse(view, sink);
        }
        check(elements);
        bytes.megabytes += corpus.length() / 1e6;
    }

    @Benchmark
    @OperationsPerInvocation(ClientStreamCorpus.STANZAS)
    public void nettyDecoder(Bytes bytes, Blackhole bh) {
        EmbeddedChannel ch = new EmbeddedChannel(new XmppStreamDecoder(config));
        int count = 0;
        int length = directBuf.readableBytes();
        for (int offset = 0; offset < length; offset += chunkSize) {
            ch.writeInbound(directBuf.retainedSlice(offset, Math.min(chunkSize, length - offset)));
            Object event;
            while ((event = ch.readInbound()) != null) {
                if (event instanceof StreamElement) {
                    count++;
                }
                bh.consume(event);
            }
        }
        ch.finishAndReleaseAll();
        check(count);
        bytes.megabytes += corpus.length() / 1e6;
    }

    @Benchmark
    @OperationsPerInvocation(ClientStreamCorpus.STANZAS)
    public void aaltoBaseline(Bytes bytes, Blackhole bh) throws XMLStreamException {
        AsyncXMLStreamReader<AsyncByteBufferFeeder> reader = aalto.createAsyncForByteBuffer();
        int depth = 0;
        int count = 0;
        ByteBuffer view = direct.duplicate();
        int length = view.limit();
        for (int offset = 0; offset < length; offset += chunkSize) {
            view.limit(Math.min(offset + chunkSize, length));
            reader.getInputFeeder().feedInput(view.slice());
            int token;
            while ((token = reader.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                if (token == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    bh.consume(reader.getLocalName());
                    bh.consume(reader.getNamespaceURI());
                } else if (token == XMLStreamConstants.END_ELEMENT) {
                    if (--depth == 1) {
                        count++;
                    }
                } else if (token == XMLStreamConstants.CHARACTERS) {
                    bh.consume(reader.getTextLength());
                }
            }
            view.position(view.limit());
        }
        reader.close();
        check(count);
        bytes.megabytes += corpus.length() / 1e6;
    }

    @Benchmark
    @OperationsPerInvocation(ClientStreamCorpus.STANZAS)
    public void aaltoBaselineByteArray(Bytes bytes, Blackhole bh) throws XMLStreamException {
        AsyncXMLStreamReader<AsyncByteArrayFeeder> reader = aalto.createAsyncForByteArray();
        int depth = 0;
        int count = 0;
        int length = heap.length;
        for (int offset = 0; offset < length; offset += chunkSize) {
            // Aalto 1.3 takes (array, offset, length).
            reader.getInputFeeder().feedInput(heap, offset, Math.min(chunkSize, length - offset));
            int token;
            while ((token = reader.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                if (token == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    bh.consume(reader.getLocalName());
                    bh.consume(reader.getNamespaceURI());
                } else if (token == XMLStreamConstants.END_ELEMENT) {
                    if (--depth == 1) {
                        count++;
                    }
                } else if (token == XMLStreamConstants.CHARACTERS) {
                    bh.consume(reader.getTextLength());
                }
            }
        }
        reader.close();
        check(count);
        bytes.megabytes += corpus.length() / 1e6;
    }

    private static void check(int decoded) {
        if (decoded != ClientStreamCorpus.STANZAS) {
            throw new IllegalStateException("decoded " + decoded + " stanzas, expected " + ClientStreamCorpus.STANZAS);
        }
    }
}
