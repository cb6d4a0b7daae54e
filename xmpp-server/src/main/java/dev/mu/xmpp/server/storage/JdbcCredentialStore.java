package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.sasl.CredentialStore;
import dev.mu.xmpp.sasl.ScramCredentials;
import dev.mu.xmpp.sasl.ScramHash;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Accounts in the database: per user and hash, the salted SCRAM keys, never a password.
 * Thread-safe.
 */
public final class JdbcCredentialStore implements CredentialStore {

    private final Database db;
    private final SecureRandom random = new SecureRandom();

    /** A store over the given database. */
    public JdbcCredentialStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramHash hash) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT salt, iterations, stored_key, server_key FROM scram_credentials WHERE username = ? AND hash = ?")) {
                ps.setString(1, username);
                ps.setString(2, hash.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new ScramCredentials(rs.getBytes(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean isEnabled(String username) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT enabled FROM accounts WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return !rs.next() || rs.getBoolean(1);
                }
            }
        });
    }

    /** Whether the (unprepared) username has an account. */
    public boolean exists(String username) {
        String user = prepare(username);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE username = ?")) {
                ps.setString(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The prepared usernames, sorted. */
    public List<String> usernames() {
        return db.transaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT username FROM accounts ORDER BY username");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /**
     * Creates the account or replaces its password, deriving SCRAM keys for every hash with one
     * fresh salt.
     *
     * @return whether the account is new
     * @throws IllegalArgumentException if the username or password fails PRECIS enforcement
     */
    public boolean setPassword(String username, String password) {
        String user = prepare(username);
        byte[] salt = new byte[ScramCredentials.DEFAULT_SALT_LENGTH];
        random.nextBytes(salt);
        List<ScramCredentials> keys = new ArrayList<>();
        for (ScramHash hash : ScramHash.values()) {
            keys.add(ScramCredentials.derive(hash, password, salt, ScramCredentials.DEFAULT_ITERATIONS));
        }
        return db.transaction(c -> {
            boolean created;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE username = ? FOR UPDATE")) {
                ps.setString(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    created = !rs.next();
                }
            }
            if (created) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (username) VALUES (?)")) {
                    ps.setString(1, user);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM scram_credentials WHERE username = ?")) {
                ps.setString(1, user);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO scram_credentials (username, hash, salt, iterations, stored_key, server_key) VALUES (?, ?, ?, ?, ?, ?)")) {
                ScramHash[] hashes = ScramHash.values();
                for (int i = 0; i < hashes.length; i++) {
                    ScramCredentials k = keys.get(i);
                    ps.setString(1, user);
                    ps.setString(2, hashes[i].name());
                    ps.setBytes(3, k.salt());
                    ps.setInt(4, k.iterations());
                    ps.setBytes(5, k.storedKey());
                    ps.setBytes(6, k.serverKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return created;
        });
    }

    /** Enables or disables an account; returns whether there is such an account. */
    public boolean setEnabled(String username, boolean enabled) {
        String user = prepare(username);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET enabled = ? WHERE username = ?")) {
                ps.setBoolean(1, enabled);
                ps.setString(2, user);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Removes an account and its keys; returns whether there was one. */
    public boolean remove(String username) {
        String user = prepare(username);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM accounts WHERE username = ?")) {
                ps.setString(1, user);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Prepares a username with the PRECIS UsernameCaseMapped profile (RFC 8265 §3.3). */
    public static String prepare(String username) {
        return PrecisProfiles.USERNAME_CASE_MAPPED.enforce(username);
    }
}
