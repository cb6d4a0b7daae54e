package dev.mu.xmpp.core.stream;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link XmppStreamParser#releaseIdleState()} costs a connection when it reads again: decoding
 * one chat message on an open stream whose parser kept its XML reader ({@link #keptReader}), and on
 * one that released it just before ({@link #releasedReader}), which starts a fresh reader behind a
 * synthetic stream header. The difference is the price of one release; the server pays it once per
 * quiet period of a connection, never per stanza of a busy one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class XmppStreamReleaseBenchmark {

    private static final byte[] HEADER = ("<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE = ("<message to='bob@example.com' id='m1' type='chat'>"
            + "<body>hello</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>")
            .getBytes(StandardCharsets.UTF_8);

    private XmppStreamParser parser;

    @Setup
    public void setUp() {
        parser = new XmppStreamParser(XmppDecoderConfig.defaults());
        decode(HEADER);
    }

    @Benchmark
    public XmppStreamEvent keptReader() {
        return decode(MESSAGE);
    }

    @Benchmark
    public XmppStreamEvent releasedReader() {
        parser.releaseIdleState();
        return decode(MESSAGE);
    }

    private XmppStreamEvent decode(byte[] input) {
        parser.feed(input, 0, input.length);
        XmppStreamEvent last = null;
        XmppStreamEvent event;
        while ((event = parser.next()) != null) {
            last = event;
        }
        return last;
    }
}
