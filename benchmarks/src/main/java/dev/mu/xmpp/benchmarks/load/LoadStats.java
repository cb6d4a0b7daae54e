package dev.mu.xmpp.benchmarks.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency histograms of one run, shared by all connections.
 *
 * <p>Thread-safe: counters are {@link LongAdder}s, latencies go to HdrHistogram {@link Recorder}s
 * (wait-free recording from the event loops, interval histograms taken by the main thread).
 *
 * @see <a href="https://hdrhistogram.github.io/HdrHistogram/JavaDoc/org/HdrHistogram/Recorder.html">Recorder</a>
 */
final class LoadStats {

    /** Latencies are recorded in microseconds, from 1 µs to one minute with 3 significant digits. */
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    final LongAdder logins = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder connectErrors = new LongAdder();
    final LongAdder authErrors = new LongAdder();
    final LongAdder streamErrors = new LongAdder();
    final LongAdder stanzaErrors = new LongAdder();
    final LongAdder unexpectedCloses = new LongAdder();

    /** How many problem descriptions {@link #problem} prints. */
    static final int PROBLEMS_SHOWN = 10;

    private final AtomicLong problems = new AtomicLong();
    private final Recorder deliveryMicros = new Recorder(1, MAX_MICROS, 3);
    private final Recorder loginMicros = new Recorder(1, MAX_MICROS, 3);
    private final Recorder lateMicros = new Recorder(1, MAX_MICROS, 3);

    /** Records one delivered message sent at {@code sentNanos} ({@link System#nanoTime()}). */
    void delivered(long sentNanos) {
        delivered.increment();
        deliveryMicros.recordValue(clamp((System.nanoTime() - sentNanos) / 1000));
    }

    /**
     * Records how late a message due at {@code dueNanos} left the generator: at a fixed rate its
     * latency counts from when it was due, so this is the part of it spent waiting in the generator.
     */
    void sentLate(long dueNanos, long nowNanos) {
        lateMicros.recordValue(clamp((nowNanos - dueNanos) / 1000));
    }

    /** Records one completed login that started at {@code startNanos}. */
    void loggedIn(long startNanos) {
        logins.increment();
        loginMicros.recordValue(clamp((System.nanoTime() - startNanos) / 1000));
    }

    /** Delivery latencies since the previous call (which starts a measurement window). */
    Histogram deliveryLatencies() {
        return deliveryMicros.getIntervalHistogram();
    }

    /** Send delays ({@link #sentLate}) since the previous call. */
    Histogram sendDelays() {
        return lateMicros.getIntervalHistogram();
    }

    /** Login durations since the previous call. */
    Histogram loginLatencies() {
        return loginMicros.getIntervalHistogram();
    }

    /**
     * Reports a problem on standard error: the first {@value #PROBLEMS_SHOWN} only, every one is
     * counted by the caller.
     */
    void problem(String text) {
        if (problems.getAndIncrement() < PROBLEMS_SHOWN) {
            System.err.println("load: " + text);
        }
    }

    /** Errors of every kind. */
    long errors() {
        return connectErrors.sum() + authErrors.sum() + streamErrors.sum() + stanzaErrors.sum() + unexpectedCloses.sum();
    }

    private static long clamp(long micros) {
        return Math.max(1, Math.min(MAX_MICROS, micros));
    }
}
