package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.router.spi.Roster;
import dev.mu.xmpp.router.spi.RosterItem;
import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Rosters in the database, with the current snapshot of each loaded roster kept in memory because
 * every presence broadcast reads it. Assumes one server process per database.
 *
 * <p>Thread-safe: updates of one owner are serialised by a lock stripe and written in one
 * transaction, touching only the rows that changed.
 */
final class JdbcRosterStore implements RosterStore {

    private static final int STRIPES = 64;

    private final Database db;
    private final ConcurrentHashMap<BareJid, Roster> cache = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[STRIPES];

    JdbcRosterStore(Database db) {
        this.db = db;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public Roster get(BareJid owner) {
        Roster r = cache.get(owner);
        if (r != null) {
            return r;
        }
        synchronized (lock(owner)) {
            return cache.computeIfAbsent(owner, o -> db.transaction(c -> load(c, o)));
        }
    }

    @Override
    public Roster update(BareJid owner, UnaryOperator<Roster> change) {
        synchronized (lock(owner)) {
            Roster before = get(owner);
            Roster after = change.apply(before);
            if (after.equals(before)) {
                return before;
            }
            db.transaction(c -> {
                write(c, owner, before, after);
                return null;
            });
            cache.put(owner, after);
            return after;
        }
    }

    @Override
    public void delete(BareJid owner) {
        synchronized (lock(owner)) {
            db.transaction(c -> {
                for (String table : List.of("rosters", "roster_items", "roster_groups", "roster_pending_in")) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE owner = ?")) {
                        ps.setString(1, owner.toString());
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            cache.remove(owner);
        }
    }

    private Object lock(BareJid owner) {
        return locks[Math.floorMod(owner.hashCode(), STRIPES)];
    }

    private static Roster load(Connection c, BareJid owner) throws SQLException {
        String o = owner.toString();
        long version = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM rosters WHERE owner = ?")) {
            ps.setString(1, o);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    version = rs.getLong(1);
                }
            }
        }
        Map<BareJid, List<String>> groups = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT jid, grp FROM roster_groups WHERE owner = ? ORDER BY jid, position")) {
            ps.setString(1, o);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    groups.computeIfAbsent(BareJid.of(rs.getString(1)), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        Map<BareJid, RosterItem> items = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT jid, name, subscription, ask_out, approved FROM roster_items WHERE owner = ? ORDER BY position")) {
            ps.setString(1, o);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BareJid jid = BareJid.of(rs.getString(1));
                    items.put(jid, new RosterItem(jid, rs.getString(2),
                            new LinkedHashSet<>(groups.getOrDefault(jid, List.of())),
                            Subscription.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)), rs.getBoolean(4), rs.getBoolean(5)));
                }
            }
        }
        Set<BareJid> pending = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT jid FROM roster_pending_in WHERE owner = ?")) {
            ps.setString(1, o);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(BareJid.of(rs.getString(1)));
                }
            }
        }
        return new Roster(version, items, pending);
    }

    private static void write(Connection c, BareJid owner, Roster before, Roster after) throws SQLException {
        String o = owner.toString();
        if (after.version() != before.version()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE rosters SET version = ? WHERE owner = ?")) {
                ps.setLong(1, after.version());
                ps.setString(2, o);
                if (ps.executeUpdate() == 0) {
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO rosters (owner, version) VALUES (?, ?)")) {
                        ins.setString(1, o);
                        ins.setLong(2, after.version());
                        ins.executeUpdate();
                    }
                }
            }
        }
        long position = 0;
        for (RosterItem item : after.items().values()) {
            position++;
            if (!item.equals(before.item(item.jid()))) {
                deleteItem(c, o, item.jid());
                insertItem(c, o, item, position);
            }
        }
        for (RosterItem item : before.items().values()) {
            if (after.item(item.jid()) == null) {
                deleteItem(c, o, item.jid());
            }
        }
        for (BareJid jid : after.pendingIn()) {
            if (!before.pendingIn().contains(jid)) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO roster_pending_in (owner, jid) VALUES (?, ?)")) {
                    ps.setString(1, o);
                    ps.setString(2, jid.toString());
                    ps.executeUpdate();
                }
            }
        }
        for (BareJid jid : before.pendingIn()) {
            if (!after.pendingIn().contains(jid)) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM roster_pending_in WHERE owner = ? AND jid = ?")) {
                    ps.setString(1, o);
                    ps.setString(2, jid.toString());
                    ps.executeUpdate();
                }
            }
        }
    }

    private static void deleteItem(Connection c, String owner, BareJid jid) throws SQLException {
        for (String table : List.of("roster_items", "roster_groups")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE owner = ? AND jid = ?")) {
                ps.setString(1, owner);
                ps.setString(2, jid.toString());
                ps.executeUpdate();
            }
        }
    }

    private static void insertItem(Connection c, String owner, RosterItem item, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO roster_items (owner, jid, position, name, subscription, ask_out, approved) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, owner);
            ps.setString(2, item.jid().toString());
            ps.setLong(3, position);
            ps.setString(4, item.name());
            ps.setString(5, item.subscription().value());
            ps.setBoolean(6, item.askOut());
            ps.setBoolean(7, item.approved());
            ps.executeUpdate();
        }
        int i = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO roster_groups (owner, jid, position, grp) VALUES (?, ?, ?, ?)")) {
            for (String g : item.groups()) {
                ps.setString(1, owner);
                ps.setString(2, item.jid().toString());
                ps.setInt(3, i++);
                ps.setString(4, g);
                ps.addBatch();
            }
            if (i > 0) {
                ps.executeBatch();
            }
        }
    }
}
