package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ArchiveIds;
import dev.mu.xmpp.router.spi.ArchivePage;
import dev.mu.xmpp.router.spi.ArchivePreferences;
import dev.mu.xmpp.router.spi.ArchiveQuery;
import dev.mu.xmpp.router.spi.ArchiveStore;
import dev.mu.xmpp.router.spi.ArchivedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message archives in the database, written in batches by one writer thread.
 *
 * <p>{@link #append} takes the archive id from an {@link ArchiveIds} generator seeded with the
 * greatest id in the table, so ids stay unique and in archive order across restarts, and puts the
 * message on a bounded queue. The writer takes whatever has queued up, up to {@value #MAX_BATCH}
 * messages, and inserts them with one JDBC batch in one transaction: a group commit, so a database
 * that syncs each commit to disk pays for one sync per batch rather than per message. A batch that
 * is not full waits up to {@value #LINGER_MS} ms for more: at a steady few thousand messages per
 * second a commit each (embedded H2 writes a chunk per commit) cost more than the routing of the
 * messages, so a kill may lose that much more of the archive copies. Queries do not wait for the
 * linger: they cut it short. When the
 * queue stays full for {@value #OFFER_TIMEOUT_MS} ms the caller writes its message itself, which is
 * logged (the first time and every thousandth); no message is dropped. A batch that fails is retried
 * one message at a time, and a message that still fails is logged with its owner and id.
 *
 * <p>{@link #query}, {@link #purgeBefore} and {@link #deleteUser} first wait until every message
 * appended before they started is committed (usually at most one batch), so they see it.
 * {@link #close()} writes everything still queued and stops the writer.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th></tr>
 *   <tr><td>queued messages</td><td>{@value #QUEUE_CAPACITY}</td></tr>
 *   <tr><td>messages per batch</td><td>{@value #MAX_BATCH}</td></tr>
 *   <tr><td>wait for more messages before writing a batch that is not full</td><td>{@value #LINGER_MS} ms</td></tr>
 *   <tr><td>wait for a full queue before writing inline</td><td>{@value #OFFER_TIMEOUT_MS} ms</td></tr>
 * </table>
 *
 * <p>Archiving preferences are cached per owner, since every archived message consults them
 * (XEP-0313 §6): one entry per account that archived a message, replaced when the preferences are
 * set and dropped when the account is deleted, both through this store.
 *
 * <p>Thread-safe.
 */
final class JdbcArchiveStore implements ArchiveStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcArchiveStore.class);

    /** Messages that may wait for the writer. */
    static final int QUEUE_CAPACITY = 16_384;
    /** Messages inserted per transaction at most. */
    static final int MAX_BATCH = 512;
    /** How long the writer waits for a batch to fill before writing it anyway. */
    static final long LINGER_MS = 10;
    /** How long an append waits for room in a full queue before writing the message itself. */
    static final long OFFER_TIMEOUT_MS = 50;

    private static final String INSERT = "INSERT INTO archive (id, owner, with_jid, ts, stanza) VALUES (?, ?, ?, ?, ?)";

    /** A message waiting for the writer. */
    private record Pending(long id, BareJid owner, BareJid with, Instant timestamp, XmlElement message) {
    }

    /** Tells the writer to stop once it has written everything queued before it. */
    private static final Pending STOP = new Pending(-1, null, null, null, null);

    private final Database db;
    private final ArchiveIds ids;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ConcurrentHashMap<BareJid, Optional<ArchivePreferences>> preferences = new ConcurrentHashMap<>();
    private final Thread writer;
    /** Appends handed out, counted before the message is queued or written. */
    private final AtomicLong submitted = new AtomicLong();
    /** Appends committed, or given up on and logged; guarded by {@code this}. */
    private long written;
    private volatile boolean closed;
    /** Set while a reader waits for the writer, which then writes without lingering. */
    private volatile boolean hurry;
    /** Appends written on the caller's thread because the queue stayed full. */
    private final AtomicLong inline = new AtomicLong();

    JdbcArchiveStore(Database db) {
        this.db = db;
        this.ids = new ArchiveIds(db.transaction(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(id) FROM archive")) {
                rs.next();
                return rs.getLong(1);
            }
        }));
        this.writer = new Thread(this::writeLoop, "xmpp-archive-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public ArchivedMessage append(BareJid owner, BareJid with, XmlElement message, Instant timestamp) {
        Pending p = new Pending(ids.next(), owner, with, timestamp, message);
        // Counted before the closed check: close() either sees this append or it sees closed.
        submitted.incrementAndGet();
        boolean queued = false;
        if (!closed) {
            try {
                queued = queue.offer(p, OFFER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Logged the first time and every thousandth, so a sustained overload does not flood the log.
            if (!queued && inline.incrementAndGet() % 1000 == 1) {
                log.warn("xmpp archive: write queue full for {} ms; archiving on the caller's thread ({} times so far)",
                        OFFER_TIMEOUT_MS, inline.get());
            }
        }
        if (!queued) {
            write(List.of(p));
        }
        return new ArchivedMessage(ArchiveIds.format(p.id()), with, timestamp, message);
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Only an interrupt stops the writer early; close() then writes what is left.
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            // Polled in 1 ms slices, so that a reader's flush or a close ends the wait early.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
            while (batch.size() < MAX_BATCH && !hurry && batch.get(batch.size() - 1) != STOP
                    && System.nanoTime() < deadline) {
                Pending next;
                try {
                    next = queue.poll(1, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    write(batch);
                    return;
                }
                if (next != null) {
                    batch.add(next);
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                }
            }
            stop = batch.removeIf(p -> p == STOP);
            write(batch);
            batch.clear();
        }
    }

    /** Inserts the messages in one transaction, else one by one; counts each as written either way. */
    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            insert(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                log.error("xmpp archive: message {} for {} not archived", ArchiveIds.format(batch.get(0).id()),
                        batch.get(0).owner(), e);
            } else {
                log.warn("xmpp archive: batch of {} failed; writing its messages one by one", batch.size(), e);
                for (Pending p : batch) {
                    try {
                        insert(List.of(p));
                    } catch (RuntimeException again) {
                        log.error("xmpp archive: message {} for {} not archived", ArchiveIds.format(p.id()), p.owner(), again);
                    }
                }
            }
        } finally {
            synchronized (this) {
                written += batch.size();
                notifyAll();
            }
        }
    }

    private void insert(List<Pending> batch) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Pending p : batch) {
                    ps.setLong(1, p.id());
                    ps.setString(2, p.owner().toString());
                    ps.setString(3, p.with().toString());
                    ps.setTimestamp(4, Timestamp.from(p.timestamp()));
                    ps.setString(5, StoredXml.toText(p.message()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Waits until every append counted so far is committed, so what follows sees it. */
    private void flush() {
        long target = submitted.get();
        boolean interrupted = false;
        synchronized (this) {
            while (written < target) {
                hurry = true;
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        hurry = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes every queued message and stops the writer. Appends after this write on the caller's
     * thread.
     */
    @Override
    public void close() {
        closed = true;
        hurry = true;
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                if (queue.offer(STOP, OFFER_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    writer.join();
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // An append that counted itself before closed was set may still be queueing behind the stop
        // mark; whoever queued, nothing is left once every counted append is written.
        long target = submitted.get();
        while (true) {
            List<Pending> rest = new ArrayList<>();
            queue.drainTo(rest);
            rest.removeIf(p -> p == STOP);
            write(rest);
            synchronized (this) {
                if (written >= target) {
                    break;
                }
                try {
                    wait(1);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public ArchivePage query(BareJid owner, ArchiveQuery q) {
        flush();
        return db.transaction(c -> {
            List<Object> args = new ArrayList<>();
            StringBuilder filter = new StringBuilder(" FROM archive WHERE owner = ?");
            args.add(owner.toString());
            if (q.with() != null) {
                filter.append(" AND with_jid = ?");
                args.add(q.with().toString());
            }
            if (q.start() != null) {
                filter.append(" AND ts >= ?");
                args.add(Timestamp.from(q.start()));
            }
            if (q.end() != null) {
                filter.append(" AND ts <= ?");
                args.add(Timestamp.from(q.end()));
            }
            if (q.ids() != null) {
                // XEP-0313 §"Limiting results by id": every requested id must be in the owner's archive.
                List<Long> ids = new ArrayList<>(new java.util.LinkedHashSet<>(existingAll(c, owner, q.ids())));
                if (ids.isEmpty()) {
                    return new ArchivePage(List.of(), true, 0, 0);
                }
                filter.append(" AND id IN (").append(String.join(", ", Collections.nCopies(ids.size(), "?"))).append(')');
                args.addAll(ids);
            }
            int count = count(c, filter.toString(), args);
            StringBuilder range = new StringBuilder(filter);
            List<Object> rangeArgs = new ArrayList<>(args);
            if (q.afterId() != null) {
                range.append(" AND id > ?");
                rangeArgs.add(existing(c, owner, q.afterId()));
            }
            if (q.beforeId() != null) {
                range.append(" AND id < ?");
                rangeArgs.add(existing(c, owner, q.beforeId()));
            }
            List<ArchivedMessage> page = new ArrayList<>();
            boolean more;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, with_jid, ts, stanza" + range
                    + " ORDER BY id " + (q.last() ? "DESC" : "ASC") + " LIMIT ?")) {
                int i = bind(ps, rangeArgs);
                ps.setInt(i, q.max() + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new ArchivedMessage(ArchiveIds.format(rs.getLong(1)), BareJid.of(rs.getString(2)),
                                rs.getTimestamp(3).toInstant(), StoredXml.parse(rs.getString(4))));
                    }
                }
            }
            more = page.size() > q.max();
            if (more) {
                page.remove(page.size() - 1);
            }
            if (q.last()) {
                Collections.reverse(page);
            }
            // XEP-0313 §"Paging through results": complete when the page size did not limit the results,
            // including when an after-id or before-id bound them.
            boolean complete = !more;
            int index = 0;
            if (!page.isEmpty()) {
                List<Object> indexArgs = new ArrayList<>(args);
                indexArgs.add(ArchiveIds.parse(page.get(0).id()));
                index = count(c, filter + " AND id < ?", indexArgs);
            }
            return new ArchivePage(page, complete, count, index);
        });
    }

    private static int count(Connection c, String filter, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + filter)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static long existing(Connection c, BareJid owner, String id) throws SQLException {
        Long parsed = parseId(id);
        if (parsed != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM archive WHERE owner = ? AND id = ?")) {
                ps.setString(1, owner.toString());
                ps.setLong(2, parsed);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return parsed;
                    }
                }
            }
        }
        throw new NoSuchElementException("No archived message " + id);
    }

    /** The row ids of the given archive ids, all of which must be the owner's. */
    private static List<Long> existingAll(Connection c, BareJid owner, List<String> ids) throws SQLException {
        Set<Long> wanted = new java.util.LinkedHashSet<>();
        for (String id : ids) {
            Long parsed = parseId(id);
            if (parsed == null) {
                throw new NoSuchElementException("No archived message " + id);
            }
            wanted.add(parsed);
        }
        if (wanted.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(owner.toString());
        args.addAll(wanted);
        int found = count(c, " FROM archive WHERE owner = ? AND id IN ("
                + String.join(", ", Collections.nCopies(wanted.size(), "?")) + ")", args);
        if (found != wanted.size()) {
            throw new NoSuchElementException("Not every one of " + ids + " is archived");
        }
        return new ArrayList<>(wanted);
    }

    private static Long parseId(String id) {
        long parsed = ArchiveIds.parse(id);
        return parsed < 0 ? null : parsed;
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object a : args) {
            ps.setObject(i++, a);
        }
        return i;
    }

    @Override
    public Optional<ArchivePreferences> preferences(BareJid owner) {
        // Loaded under the map's lock for this owner, so a concurrent write's put waits for the load
        // and replaces it: the cache never keeps preferences older than the last write.
        return preferences.computeIfAbsent(owner, this::loadPreferences);
    }

    private Optional<ArchivePreferences> loadPreferences(BareJid owner) {
        return db.transaction(c -> {
            ArchivePreferences.Mode mode;
            try (PreparedStatement ps = c.prepareStatement("SELECT default_mode FROM archive_prefs WHERE owner = ?")) {
                ps.setString(1, owner.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    mode = ArchivePreferences.Mode.valueOf(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
            Set<BareJid> always = new HashSet<>();
            Set<BareJid> never = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT jid, always FROM archive_prefs_jids WHERE owner = ?")) {
                ps.setString(1, owner.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        (rs.getBoolean(2) ? always : never).add(BareJid.of(rs.getString(1)));
                    }
                }
            }
            return Optional.of(new ArchivePreferences(mode, always, never));
        });
    }

    @Override
    public void preferences(BareJid owner, ArchivePreferences p) {
        db.transaction(c -> {
            deletePreferences(c, owner);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_prefs (owner, default_mode) VALUES (?, ?)")) {
                ps.setString(1, owner.toString());
                ps.setString(2, p.defaultMode().value());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_prefs_jids (owner, jid, always) VALUES (?, ?, ?)")) {
                int n = 0;
                for (BareJid j : p.always()) {
                    ps.setString(1, owner.toString());
                    ps.setString(2, j.toString());
                    ps.setBoolean(3, true);
                    ps.addBatch();
                    n++;
                }
                for (BareJid j : p.never()) {
                    if (!p.always().contains(j)) {
                        ps.setString(1, owner.toString());
                        ps.setString(2, j.toString());
                        ps.setBoolean(3, false);
                        ps.addBatch();
                        n++;
                    }
                }
                if (n > 0) {
                    ps.executeBatch();
                }
            }
            return null;
        });
        preferences.put(owner, Optional.of(p));
    }

    private static void deletePreferences(Connection c, BareJid owner) throws SQLException {
        for (String table : List.of("archive_prefs", "archive_prefs_jids")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE owner = ?")) {
                ps.setString(1, owner.toString());
                ps.executeUpdate();
            }
        }
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        flush();
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM archive WHERE ts < ?")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteUser(BareJid owner) {
        flush();
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM archive WHERE owner = ?")) {
                ps.setString(1, owner.toString());
                ps.executeUpdate();
            }
            deletePreferences(c, owner);
            return null;
        });
        preferences.remove(owner);
    }
}
