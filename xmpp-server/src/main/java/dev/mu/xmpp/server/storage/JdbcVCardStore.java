package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.VCardStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** vCards in the database. Thread-safe. */
final class JdbcVCardStore implements VCardStore {

    private final Database db;

    JdbcVCardStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<XmlElement> get(EntityBareJid user) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT xml FROM vcards WHERE username = ?")) {
                ps.setString(1, user.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(StoredXml.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(EntityBareJid user, XmlElement vcard) {
        String xml = StoredXml.toText(vcard);
        db.transaction(c -> {
            deleteUser(c, user);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vcards (username, xml) VALUES (?, ?)")) {
                ps.setString(1, user.toString());
                ps.setString(2, xml);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteUser(EntityBareJid user) {
        db.transaction(c -> deleteUser(c, user));
    }

    private static int deleteUser(java.sql.Connection c, EntityBareJid user) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM vcards WHERE username = ?")) {
            ps.setString(1, user.toString());
            return ps.executeUpdate();
        }
    }
}
