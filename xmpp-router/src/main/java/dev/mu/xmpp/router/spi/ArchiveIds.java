package dev.mu.xmpp.router.spi;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out archive ids (XEP-0313, also the XEP-0359 stanza-id) in memory, before the message is
 * written, so a store can stamp the delivered copy at once and persist it later.
 *
 * <p>An id is a 64-bit value: the epoch milliseconds shifted left by {@value #COUNTER_BITS} bits plus
 * a counter within the millisecond. Each id is greater than the one before it, also when the clock
 * steps back or more than 2<sup>{@value #COUNTER_BITS}</sup> ids are asked for within one
 * millisecond (the generator then runs ahead of the clock). A store that outlives the process seeds
 * the generator with the greatest id it holds, which keeps ids unique across restarts.
 *
 * <p>As text an id is {@value #TEXT_LENGTH} base-36 digits, zero-padded, so ids compare in archive
 * order both as numbers and as strings. {@link #parse(String)} also reads the shorter ids of
 * archives written before this scheme (plain row numbers in base 36), which sort before every
 * generated one.
 *
 * <p>Thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0359.html#stanza-id">XEP-0359 §3: stanza-id</a>
 */
public final class ArchiveIds {

    /** The bits of an id that count within one millisecond. */
    public static final int COUNTER_BITS = 16;
    /** The length of an id as text: enough base-36 digits for any non-negative {@code long}. */
    public static final int TEXT_LENGTH = 13;

    private final Clock clock;
    private final AtomicLong last;

    /**
     * A generator whose ids all exceed {@code floor}.
     *
     * @param clock the clock whose milliseconds lead each id
     * @param floor the greatest id already in use, or 0
     */
    public ArchiveIds(Clock clock, long floor) {
        if (floor < 0) {
            throw new IllegalArgumentException("floor < 0");
        }
        this.clock = clock;
        this.last = new AtomicLong(floor);
    }

    /** A generator on the system clock whose ids all exceed {@code floor}. */
    public ArchiveIds(long floor) {
        this(Clock.systemUTC(), floor);
    }

    /** The next id, greater than every id this generator handed out or was seeded with. */
    public long next() {
        long now = clock.millis() << COUNTER_BITS;
        return last.accumulateAndGet(now, (prev, time) -> Math.max(prev + 1, time));
    }

    /** The next id as text. */
    public String nextText() {
        return format(next());
    }

    /** An id as {@value #TEXT_LENGTH} zero-padded base-36 digits. */
    public static String format(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("negative archive id " + id);
        }
        String digits = Long.toString(id, 36);
        return "0".repeat(TEXT_LENGTH - digits.length()) + digits;
    }

    /**
     * The value of an id given as text, or -1 when the text is not an archive id: clients send any
     * string as {@code after-id}, {@code before-id} or in {@code ids}.
     */
    public static long parse(String id) {
        if (id == null || id.isEmpty() || id.length() > TEXT_LENGTH) {
            return -1;
        }
        try {
            long value = Long.parseLong(id, 36);
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
