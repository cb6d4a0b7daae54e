package dev.mu.xmpp.server;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The keepalive deadlines of client connections, kept per event loop so that an idle connection
 * costs no scheduled task of its own: each loop lists its connections' {@link IdleTimeoutHandler}s
 * in deadline order, and one timer per loop wakes up for the earliest deadline and handles every
 * deadline that has passed by then. Since every deadline is "now plus the ping interval", moving a
 * connection to the end of the list when it reads or is pinged keeps the list in order.
 *
 * <p>The same list, being in order of the last read, also tells which connections have been quiet
 * for the parser release delay: a cursor walks it behind the clock and asks each connection it
 * passes to let go of its XML reader (see {@link IdleTimeoutHandler#quiet()}). A connection that
 * reads again moves to the end, in front of the cursor.
 *
 * <p>Deadlines less than 1/16 of the shorter of the two delays (at least 10 ms) apart share a
 * wake-up, so a ping, timeout or release may come that much late. Thread-safe; each loop's list is
 * used from that loop only.
 */
final class IdleTimeouts {

    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long intervalNanos;
    private final long releaseNanos;
    private final long tickNanos;
    private final ConcurrentHashMap<EventExecutor, Loop> loops = new ConcurrentHashMap<>();

    /**
     * Deadlines of {@code interval} after the last read, and again after the ping; parsers released
     * {@code releaseDelay} after the last read.
     */
    IdleTimeouts(Duration interval, Duration releaseDelay) {
        this.intervalNanos = interval.toNanos();
        this.releaseNanos = releaseDelay.toNanos();
        this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(intervalNanos, releaseNanos) / 16);
    }

    /** A handler for one new connection. */
    IdleTimeoutHandler newHandler() {
        return new IdleTimeoutHandler(this);
    }

    long intervalNanos() {
        return intervalNanos;
    }

    /** The list of {@code executor}'s connections; called from that executor. */
    Loop loop(EventExecutor executor) {
        return loops.computeIfAbsent(executor, Loop::new);
    }

    /** One event loop's connections in deadline order, and its timer. Used from that loop only. */
    final class Loop implements Runnable {

        private final EventExecutor executor;
        private IdleTimeoutHandler head;
        private IdleTimeoutHandler tail;
        /** The first connection not yet asked to release its parser since its last read; all before it were. */
        private IdleTimeoutHandler quiet;
        private ScheduledFuture<?> timer;
        /** When {@link #timer} fires. */
        private long timerAt;
        /** Inside {@link #run()}, which sets the timer for whatever deadline is earliest when it is done. */
        private boolean sweeping;

        private Loop(EventExecutor executor) {
            this.executor = executor;
        }

        long now() {
            return executor.ticker().nanoTime();
        }

        /** Appends {@code h}, whose deadline is the latest now, removing it from where it was. */
        void moveToEnd(IdleTimeoutHandler h) {
            if (tail != h) {
                unlink(h);
                h.previous = tail;
                if (tail == null) {
                    head = h;
                } else {
                    tail.next = h;
                }
                tail = h;
                h.listed = true;
            }
            if (quiet == null) {
                quiet = h;
            }
            if (!sweeping) {
                long wake = nextWake();
                if (timer == null) {
                    schedule(wake);
                } else if (wake - timerAt < -tickNanos) {
                    // Only when the cursor starts again on a loop whose connections were all released.
                    timer.cancel(false);
                    schedule(wake);
                }
            }
        }

        /** Takes {@code h} off the list, if it is on it; the timer stops with the last connection. */
        void remove(IdleTimeoutHandler h) {
            unlink(h);
            if (head == null && timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void unlink(IdleTimeoutHandler h) {
            if (!h.listed) {
                return;
            }
            if (quiet == h) {
                quiet = h.next;
            }
            if (h.previous == null) {
                head = h.next;
            } else {
                h.previous.next = h.next;
            }
            if (h.next == null) {
                tail = h.previous;
            } else {
                h.next.previous = h.previous;
            }
            h.previous = null;
            h.next = null;
            h.listed = false;
        }

        /** When {@code h} has been quiet for the release delay: its deadline is an interval after its last read. */
        private long releaseAt(IdleTimeoutHandler h) {
            return h.deadline - intervalNanos + releaseNanos;
        }

        private long nextWake() {
            if (quiet == null) {
                return head.deadline;
            }
            long release = releaseAt(quiet);
            return release - head.deadline < 0 ? release : head.deadline;
        }

        private void schedule(long at) {
            long now = now();
            long delay = Math.max(tickNanos, at - now);
            timerAt = now + delay;
            timer = executor.schedule(this, delay, TimeUnit.NANOSECONDS);
        }

        /** Releases the parsers and fires the deadlines that are due, then waits for the earliest one left. */
        @Override
        public void run() {
            timer = null;
            sweeping = true;
            try {
                long now = now();
                while (quiet != null && releaseAt(quiet) - now <= 0) {
                    IdleTimeoutHandler h = quiet;
                    quiet = h.next;
                    h.quiet();
                }
                while (head != null && head.deadline - now <= 0) {
                    IdleTimeoutHandler h = head;
                    unlink(h);
                    // The handler lists itself again for its next deadline, or closes the stream.
                    h.expired(now);
                }
            } finally {
                sweeping = false;
            }
            if (head != null) {
                schedule(nextWake());
            }
        }
    }
}
