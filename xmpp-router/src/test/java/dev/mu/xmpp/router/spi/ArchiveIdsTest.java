package dev.mu.xmpp.router.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ArchiveIdsTest {

    /** A clock that reads whatever the test sets. */
    private static final class SetClock extends Clock {
        final AtomicLong millis = new AtomicLong();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    void idsGrowWithinAMillisecondPastItsCounterAndWhenTheClockStepsBack() {
        SetClock clock = new SetClock();
        clock.millis.set(Instant.parse("2026-11-01T10:00:00Z").toEpochMilli());
        ArchiveIds ids = new ArchiveIds(clock, 0);
        List<String> handedOut = new ArrayList<>();
        for (int i = 0; i < (1 << ArchiveIds.COUNTER_BITS) + 10; i++) {
            handedOut.add(ids.nextText());
        }
        clock.millis.addAndGet(-60_000);
        for (int i = 0; i < 10; i++) {
            handedOut.add(ids.nextText());
        }
        List<String> sorted = new ArrayList<>(handedOut);
        sorted.sort(null);
        assertEquals(handedOut, sorted);
        assertEquals(handedOut.size(), handedOut.stream().distinct().count());
    }

    @Test
    void aSeededGeneratorStaysAboveTheGreatestStoredIdEvenWithAClockBehindIt() {
        SetClock clock = new SetClock();
        clock.millis.set(Instant.parse("2026-11-01T10:00:00Z").toEpochMilli());
        long stored = new ArchiveIds(clock, 0).next() + 5_000_000;
        assertTrue(new ArchiveIds(clock, stored).next() > stored);
    }

    @Test
    void textIsShortAndIdsFromRowNumbersStillParse() {
        String id = new ArchiveIds(0).nextText();
        assertEquals(ArchiveIds.TEXT_LENGTH, id.length());
        assertEquals(35L, ArchiveIds.parse("z"));
        assertTrue(ArchiveIds.format(35).compareTo(id) < 0);
        assertEquals(-1L, ArchiveIds.parse("not an id"));
        assertEquals(-1L, ArchiveIds.parse("-5"));
        assertEquals(-1L, ArchiveIds.parse(""));
        assertEquals(-1L, ArchiveIds.parse("zzzzzzzzzzzzzz"));
    }

    @Property
    void textOrderIsNumericOrderAndParsesBack(@ForAll @LongRange(min = 0) long a, @ForAll @LongRange(min = 0) long b) {
        assertEquals(a, ArchiveIds.parse(ArchiveIds.format(a)));
        assertEquals(Long.signum(Long.compare(a, b)), Integer.signum(ArchiveIds.format(a).compareTo(ArchiveIds.format(b))));
    }
}
