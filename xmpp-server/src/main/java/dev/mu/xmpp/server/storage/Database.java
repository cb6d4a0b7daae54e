package dev.mu.xmpp.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled JDBC database with the schema migrated at open: the embedded H2 file database or
 * PostgreSQL.
 *
 * <p>Thread-safe.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;

    /** A unit of work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work on a connection whose transaction commits when this returns. */
        T run(Connection c) throws SQLException;
    }

    private Database(HikariConfig config) {
        this.dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * The embedded default: an H2 file database in the data directory. {@code AUTO_SERVER} lets the
     * {@code adduser} command open it while the server runs; {@code WRITE_DELAY=0} writes every
     * commit through to the file, so a killed process loses nothing it acknowledged.
     */
    public static Database embedded(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve("mu-xmpp");
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE;WRITE_DELAY=0");
        c.setUsername("sa");
        c.setPassword("");
        c.setMaximumPoolSize(4);
        c.setPoolName("xmpp-h2");
        log.info("xmpp storage: embedded H2 database {}.mv.db", file);
        return new Database(c);
    }

    /** PostgreSQL at the given JDBC URL. */
    public static Database postgres(String jdbcUrl, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbcUrl);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(10);
        c.setPoolName("xmpp-postgres");
        log.info("xmpp storage: PostgreSQL {}", jdbcUrl);
        return new Database(c);
    }

    /** Runs work in one transaction, committing on return and rolling back on any exception. */
    public <T> T transaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /** The pool, for tests and tools. */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
