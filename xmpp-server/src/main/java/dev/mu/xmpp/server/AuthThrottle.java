package dev.mu.xmpp.server;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slows down and then locks out password guessing, across connections: failed authentications are
 * counted per IP address and per account over {@link C2sLimits#authLockTime()}; each failure is
 * answered after a delay that doubles with the count, and an address or account over its limit is
 * refused for the lock time, right password or not (RFC 6120 §13.12, denial of service). Also
 * counts every failure for monitoring.
 *
 * <p>Thread-safe. Memory stays bounded: entries expire after the lock time and at most
 * {@value #MAX_ENTRIES} are kept; past that, new addresses and accounts are not tracked until old
 * ones expire.
 */
final class AuthThrottle {

    /** The most addresses and accounts remembered at once. */
    static final int MAX_ENTRIES = 100_000;

    private final C2sLimits limits;
    private final Clock clock;
    private final ConcurrentHashMap<Object, Failures> failures = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    AuthThrottle(C2sLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Whether authentication from this address, or for this account when known, is locked now. */
    boolean locked(InetAddress address, String account) {
        Instant now = clock.instant();
        return isLocked(address, limits.authFailuresPerAddress(), now)
                || (account != null && isLocked(accountKey(account), limits.authFailuresPerAccount(), now));
    }

    /**
     * Records a failure.
     *
     * @param account the account the client tried, or {@code null} when it named none
     * @return how long to wait before answering it
     */
    Duration failed(InetAddress address, String account) {
        total.incrementAndGet();
        Instant now = clock.instant();
        int count = record(address, now);
        if (account != null) {
            count = Math.max(count, record(accountKey(account), now));
        }
        long base = limits.authFailureDelay().toMillis();
        long delay = base << Math.min(count - 1, 20);
        return Duration.ofMillis(Math.min(delay, Math.max(base, C2sLimits.MAX_AUTH_FAILURE_DELAY_MILLIS)));
    }

    /** A successful authentication clears the account's failures, not the address's. */
    void succeeded(String account) {
        failures.remove(accountKey(account));
    }

    /** Every failed authentication since the server started. */
    long total() {
        return total.get();
    }

    private boolean isLocked(Object key, int limit, Instant now) {
        Failures f = key == null ? null : failures.get(key);
        return f != null && f.count(now, limits.authLockTime()) >= limit;
    }

    private int record(Object key, Instant now) {
        if (key == null) {
            return 0;
        }
        if (failures.size() >= MAX_ENTRIES && !failures.containsKey(key)) {
            failures.values().removeIf(f -> f.expired(now, limits.authLockTime()));
            if (failures.size() >= MAX_ENTRIES) {
                return 1;
            }
        }
        return failures.computeIfAbsent(key, k -> new Failures()).add(now, limits.authLockTime());
    }

    private static Object accountKey(String account) {
        return "account:" + account;
    }

    /** The failures of one address or account within the window that ends with the last one. */
    private static final class Failures {
        private int count;
        private Instant last = Instant.MIN;

        synchronized int add(Instant now, Duration window) {
            if (expired(now, window)) {
                count = 0;
            }
            count++;
            last = now;
            return count;
        }

        synchronized int count(Instant now, Duration window) {
            return expired(now, window) ? 0 : count;
        }

        synchronized boolean expired(Instant now, Duration window) {
            return last.plus(window).isBefore(now);
        }
    }
}
