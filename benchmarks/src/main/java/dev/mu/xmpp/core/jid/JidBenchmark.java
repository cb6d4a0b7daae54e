package dev.mu.xmpp.core.jid;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing a JID string as it arrives in a {@code to} or {@code from} attribute: {@link Jid#parse}
 * (RFC 7622 preparation and enforcement of every part, each time) against {@link Jid#of(String)}
 * (the shared cache, here always hit).
 *
 * <p>{@link #ofCached} looks up a copy of the cached key, so equality is checked char by char, but
 * {@code String} caches its hash, which is then computed once per trial; {@link #ofCachedFreshString}
 * looks up a new string each time, as the decoder produces them, paying the copy and the hash.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class JidBenchmark {

    /** A plain bare JID, a full JID, and one with non-ASCII and upper case that PRECIS must map. */
    @Param({"alice@example.com", "alice@example.com/phone-4f2a9c", "Zoë.Müller@Example.COM/Büro"})
    public String jid;

    private String input;
    private char[] chars;

    @Setup(Level.Trial)
    public void setUp() {
        chars = jid.toCharArray();
        input = new String(chars);
        Jid.of(jid);
    }

    @Benchmark
    public Jid parse() {
        return Jid.parse(input);
    }

    @Benchmark
    public Jid ofCached() {
        return Jid.of(input);
    }

    /** A cache hit on a new string each time, as the decoder produces them: hashing included. */
    @Benchmark
    public Jid ofCachedFreshString() {
        return Jid.of(new String(chars));
    }
}
