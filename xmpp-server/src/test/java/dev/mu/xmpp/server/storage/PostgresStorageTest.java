package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.router.spi.StorageProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * The storage contract on a real PostgreSQL, each test in a schema of its own. The server is the
 * one {@code .ci/run} installs and starts; {@code XMPP_TEST_PG_URL}, {@code XMPP_TEST_PG_USER} and
 * {@code XMPP_TEST_PG_PASSWORD} point elsewhere. Without a reachable server the tests are skipped,
 * except under CI, where they fail.
 */
class PostgresStorageTest extends StorageContract {

    static final String URL = System.getenv().getOrDefault("XMPP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/mu_xmpp_test");
    static final String USER = System.getenv().getOrDefault("XMPP_TEST_PG_USER", "mu");
    static final String PASSWORD = System.getenv().getOrDefault("XMPP_TEST_PG_PASSWORD", "mu");

    private String schema;

    @Override
    StorageProvider open() {
        if (schema == null) {
            String name = "t_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + name);
                // Only a schema that exists is dropped after the test, so a skipped test stays skipped.
                schema = name;
            } catch (SQLException e) {
                Assumptions.assumeTrue("true".equals(System.getenv("CI")) ? fail(e) : false,
                        "PostgreSQL not reachable at " + URL + ": " + e.getMessage());
            }
        }
        return new JdbcStorageProvider(Database.postgres(URL + "?currentSchema=" + schema, USER, PASSWORD));
    }

    private static boolean fail(SQLException e) {
        throw new AssertionError("CI must provide PostgreSQL at " + URL, e);
    }

    @Override
    boolean durable() {
        return true;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
