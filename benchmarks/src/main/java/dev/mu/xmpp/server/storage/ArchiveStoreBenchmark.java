package dev.mu.xmpp.server.storage;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stanza.Message;
import dev.mu.xmpp.core.stanza.MessageType;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ArchivePage;
import dev.mu.xmpp.router.spi.ArchiveQuery;
import dev.mu.xmpp.router.spi.ArchiveStore;
import dev.mu.xmpp.router.spi.ArchivedMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Message archive (XEP-0313) throughput of the JDBC stores, the embedded H2 default and PostgreSQL
 * side by side: one append per operation (queued for the store's batch writer, whose commits it
 * therefore also pays for once the queue fills), and one 50-message page of a 10,000-message archive
 * filtered by contact, which first waits for the queued appends.
 *
 * <p>PostgreSQL is reached at {@code -Dpg.url} (default the test database {@code .ci/run} creates,
 * role {@code mu}); each run migrates a schema of its own and drops it afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ArchiveStoreBenchmark {

    static final EntityBareJid ALICE = EntityBareJid.of("alice", "example.com");
    static final EntityBareJid BOB = EntityBareJid.of("bob", "example.com");
    static final EntityBareJid CAROL = EntityBareJid.of("carol", "example.net");
    static final int ARCHIVE_SIZE = 10_000;

    @Param({"h2", "postgres"})
    public String backend;

    private JdbcStorageProvider storage;
    private ArchiveStore archive;
    private Path dataDir;
    private String schema;
    private XmlElement message;
    private String middleId;
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws Exception {
        message = Message.builder().from(ALICE.withResource("phone")).to(BOB).type(MessageType.CHAT)
                .id("bench").body("A message of ordinary length, with a few words in it ☃").build().element();
        if (backend.equals("h2")) {
            dataDir = Files.createTempDirectory("archive-bench");
            storage = new JdbcStorageProvider(Database.embedded(dataDir));
        } else {
            String url = System.getProperty("pg.url", "jdbc:postgresql://127.0.0.1:5432/mu_xmpp_test");
            schema = "bench_" + System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "mu", "mu"); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            storage = new JdbcStorageProvider(Database.postgres(url + "?currentSchema=" + schema, "mu", "mu"));
        }
        archive = storage.archive();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < ARCHIVE_SIZE; i++) {
            BareJid with = i % 2 == 0 ? BOB : CAROL;
            ArchivedMessage m = archive.append(ALICE, with, message, t.plusSeconds(i));
            if (i == ARCHIVE_SIZE / 2) {
                middleId = m.id();
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        storage.close();
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (schema != null) {
            String url = System.getProperty("pg.url", "jdbc:postgresql://127.0.0.1:5432/mu_xmpp_test");
            try (Connection c = DriverManager.getConnection(url, "mu", "mu"); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /**
     * One append, as the server does twice per archived message: queued for the batch writer, or
     * written inline once the benchmark outruns it.
     */
    @Benchmark
    public ArchivedMessage append() {
        return archive.append(BOB, ALICE, message, Instant.ofEpochSecond(1_800_000_000L + sequence++));
    }

    /** The page after a given id with one contact: the common "scroll back" query. */
    @Benchmark
    public ArchivePage queryPageWithContact() {
        return archive.query(ALICE, new ArchiveQuery(BOB, null, null, middleId, null, null, 50, false));
    }

    /** The last page of the whole archive: what a client asks for when it opens. */
    @Benchmark
    public ArchivePage queryLastPage() {
        return archive.query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 50, true));
    }
}
