package dev.mu.xmpp.benchmarks.load;

import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import dev.mu.xmpp.sasl.ScramCredentials;
import dev.mu.xmpp.sasl.ScramHash;
import dev.mu.xmpp.server.C2sLimits;
import dev.mu.xmpp.server.XmppServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Our server with everything in memory (accounts, rosters, offline messages, the message archive),
 * for profiling the routing path without the database: {@code --users} accounts
 * {@code <prefix>1 ... <prefix>N} that share one password and one set of SCRAM keys (derived once,
 * so that startup takes no time), plaintext authentication allowed, listening on loopback only.
 * Client limits come from the environment variables of {@link C2sLimits#fromEnvironment}, so that
 * a run can lift the per-address ones as for the bundled server, e.g.
 * {@code XMPP_MAX_CONNECTIONS_PER_IP=1000000 XMPP_C2S_RATE_BYTES=1000000000}.
 *
 * <pre>
 * java -cp benchmarks.jar dev.mu.xmpp.benchmarks.load.InMemoryServer \
 *     --port 5222 --domain localhost --users 2000 --user-prefix load --password load-password --threads 1 \
 *     [--modules-disabled mam,offline]
 * </pre>
 *
 * <p>Runs until the process is stopped.
 */
public final class InMemoryServer {

    private InMemoryServer() {
    }

    /** Starts the server and waits for the process to be stopped. */
    public static void main(String[] args) throws Exception {
        int port = 5222;
        String domain = "localhost";
        int users = 100;
        String prefix = "load";
        String password = "load-password";
        int threads = 1;
        List<String> disabled = List.of();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--domain" -> domain = v;
                case "--users" -> users = Integer.parseInt(v);
                case "--user-prefix" -> prefix = v;
                case "--password" -> password = v;
                case "--threads" -> threads = Integer.parseInt(v);
                case "--modules-disabled" -> disabled = List.of(v.split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        XmppServer server = start(port, domain, users, prefix, password, threads, disabled);
        System.out.println("listening on 127.0.0.1:" + server.c2sPort() + " for " + users + " users of " + domain);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Starts a server on 127.0.0.1 ({@code port} 0 for any free one) with the accounts. */
    static XmppServer start(int port, String domain, int users, String prefix, String password, int threads,
            List<String> disabledModules) throws java.io.IOException {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        for (ScramHash hash : ScramHash.values()) {
            ScramCredentials keys = ScramCredentials.derive(hash, password);
            for (int i = 1; i <= users; i++) {
                store.setCredentials(prefix + i, hash, keys);
            }
        }
        Path dataDir = Files.createTempDirectory("xmpp-load-");
        dataDir.toFile().deleteOnExit();
        return XmppServer.builder()
                .domain(domain)
                .bindAddress("127.0.0.1")
                .c2sPort(port)
                .directTlsPort(-1)
                .s2sPort(-1)
                .dataDirectory(dataDir)
                .credentials(store)
                .allowPlaintextAuth(true)
                .limits(C2sLimits.fromEnvironment(System.getenv()))
                .threads(threads)
                .disableModules(disabledModules)
                .build()
                .start();
    }
}
