package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
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

/**
 * Message archives in the database. Archive ids are the row ids in base 36, so they sort in
 * archive order and page with an index. Thread-safe.
 */
final class JdbcArchiveStore implements ArchiveStore {

    private final Database db;

    JdbcArchiveStore(Database db) {
        this.db = db;
    }

    @Override
    public ArchivedMessage append(BareJid owner, BareJid with, XmlElement message, Instant timestamp) {
        String xml = StoredXml.toText(message);
        long id = db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO archive (owner, with_jid, ts, stanza) VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, owner.toString());
                ps.setString(2, with.toString());
                ps.setTimestamp(3, Timestamp.from(timestamp));
                ps.setString(4, xml);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new ArchivedMessage(Long.toString(id, 36), with, timestamp, message);
    }

    @Override
    public ArchivePage query(BareJid owner, ArchiveQuery q) {
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
                        page.add(new ArchivedMessage(Long.toString(rs.getLong(1), 36), BareJid.of(rs.getString(2)),
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
                indexArgs.add(Long.parseLong(page.get(0).id(), 36));
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
        try {
            return Long.parseLong(id, 36);
        } catch (NumberFormatException e) {
            return null;
        }
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
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM archive WHERE ts < ?")) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteUser(BareJid owner) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM archive WHERE owner = ?")) {
                ps.setString(1, owner.toString());
                ps.executeUpdate();
            }
            deletePreferences(c, owner);
            return null;
        });
    }
}
