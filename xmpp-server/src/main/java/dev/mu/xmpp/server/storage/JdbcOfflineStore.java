package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.OfflineMessage;
import dev.mu.xmpp.router.spi.OfflineStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Offline messages in the database; a message is committed before {@link #store} returns. Thread-safe. */
final class JdbcOfflineStore implements OfflineStore {

    private final Database db;

    JdbcOfflineStore(Database db) {
        this.db = db;
    }

    @Override
    public boolean store(EntityBareJid user, XmlElement message, Instant received, int limit) {
        String xml = StoredXml.toText(message);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM offline_messages WHERE username = ?")) {
                ps.setString(1, user.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= limit) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO offline_messages (username, received, stanza) VALUES (?, ?, ?)")) {
                ps.setString(1, user.toString());
                ps.setTimestamp(2, Timestamp.from(received));
                ps.setString(3, xml);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public List<OfflineMessage> peek(EntityBareJid user) {
        return db.transaction(c -> {
            List<OfflineMessage> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, received, stanza FROM offline_messages WHERE username = ? ORDER BY id")) {
                ps.setString(1, user.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OfflineMessage(rs.getLong(1), StoredXml.parse(rs.getString(3)), rs.getTimestamp(2).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void remove(EntityBareJid user, List<OfflineMessage> delivered) {
        if (delivered.isEmpty()) {
            return;
        }
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM offline_messages WHERE username = ? AND id = ?")) {
                for (OfflineMessage m : delivered) {
                    ps.setString(1, user.toString());
                    ps.setLong(2, m.id());
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    @Override
    public void deleteUser(EntityBareJid user) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM offline_messages WHERE username = ?")) {
                ps.setString(1, user.toString());
                return ps.executeUpdate();
            }
        });
    }
}
