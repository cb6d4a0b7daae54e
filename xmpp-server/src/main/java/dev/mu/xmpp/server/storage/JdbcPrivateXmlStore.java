package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.PrivateXmlStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** XEP-0049 private XML in the database. Thread-safe. */
final class JdbcPrivateXmlStore implements PrivateXmlStore {

    private final Database db;

    JdbcPrivateXmlStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<XmlElement> get(EntityBareJid user, String namespace, String name) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT xml FROM private_xml WHERE username = ? AND namespace = ? AND name = ?")) {
                ps.setString(1, user.toString());
                ps.setString(2, namespace);
                ps.setString(3, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(StoredXml.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(EntityBareJid user, XmlElement element) {
        String xml = StoredXml.toText(element);
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM private_xml WHERE username = ? AND namespace = ? AND name = ?")) {
                ps.setString(1, user.toString());
                ps.setString(2, element.namespace());
                ps.setString(3, element.name());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO private_xml (username, namespace, name, xml) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, user.toString());
                ps.setString(2, element.namespace());
                ps.setString(3, element.name());
                ps.setString(4, xml);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void deleteUser(EntityBareJid user) {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM private_xml WHERE username = ?")) {
                ps.setString(1, user.toString());
                return ps.executeUpdate();
            }
        });
    }
}
