package dev.mu.xmpp.server;

import dev.mu.xmpp.server.storage.Database;
import dev.mu.xmpp.server.storage.JdbcStorageProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * The restart contract over PostgreSQL, in a schema of its own per test. The server is the one
 * {@code .ci/run} starts; {@code XMPP_TEST_PG_URL}, {@code XMPP_TEST_PG_USER} and
 * {@code XMPP_TEST_PG_PASSWORD} point elsewhere. Skipped without one, except under CI.
 */
class PostgresRestartIT extends RestartContract {

    static final String URL = System.getenv().getOrDefault("XMPP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/mu_xmpp_test");
    static final String USER = System.getenv().getOrDefault("XMPP_TEST_PG_USER", "mu");
    static final String PASSWORD = System.getenv().getOrDefault("XMPP_TEST_PG_PASSWORD", "mu");

    private String schema;

    @Override
    JdbcStorageProvider open() {
        if (schema == null) {
            schema = "t_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                if ("true".equals(System.getenv("CI"))) {
                    throw new AssertionError("CI must provide PostgreSQL at " + URL, e);
                }
                Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + e.getMessage());
            }
        }
        return new JdbcStorageProvider(Database.postgres(URL + "?currentSchema=" + schema, USER, PASSWORD));
    }

    @AfterEach
    void dropSchema() throws SQLException {
        stop();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
