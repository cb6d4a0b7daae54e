package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.server.storage.JdbcCredentialStore;
import dev.mu.xmpp.server.storage.JdbcStorageProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The bundled server's command line: {@code serve}, {@code adduser}, {@code passwd}, {@code deluser},
 * {@code check}.
 * Settings come from the environment (see {@link ServerConfig}).
 */
public final class Main {

    private static final String USAGE = """
            usage: java -jar xmpp-server.jar <command>
              serve                        run the server
              adduser <jid> [password]     create an account (password from stdin when omitted or -)
              adduser --bulk               create accounts from stdin, one '<jid> <password>' a line
              passwd <jid> [password]      change an account's password
              deluser <jid>                delete an account
              check                        diagnose ports, certificate and DNS SRV records
            environment: XMPP_DOMAIN XMPP_PORT XMPP_TLS_PORT XMPP_S2S_PORT XMPP_BIND XMPP_DATA_DIR
                         XMPP_CERT_FILE XMPP_KEY_FILE XMPP_ALLOW_PLAINTEXT_AUTH XMPP_PLAIN_CACHE_SECONDS
                         XMPP_DATABASE_URL XMPP_DATABASE_USER XMPP_DATABASE_PASSWORD""";

    private Main() {
    }

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs a command; returns the process exit status. {@code serve} returns only on shutdown. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("xmpp: " + e.getMessage());
            return 2;
        }
        if (!List.of("serve", "adduser", "passwd", "deluser", "check").contains(args[0])) {
            err.println(USAGE);
            return 2;
        }
        if (args[0].equals("check")) {
            // Before the database opens: a check must work while the server holds it.
            return new Check(config).run(out) == 0 ? 0 : 1;
        }
        try {
            JdbcStorageProvider storage = new JdbcStorageProvider(config.openDatabase());
            if (args[0].equals("serve")) {
                return serve(config, storage);
            }
            try (storage) {
                if (args[0].equals("adduser") && args.length == 2 && args[1].equals("--bulk")) {
                    return addUsers(config, storage.accounts(), System.in, out, err);
                }
                return args[0].equals("deluser")
                        ? deleteUser(args, config, storage, out, err)
                        : setPassword(args, config, storage.accounts(), out, err);
            }
        } catch (RuntimeException e) {
            err.println("xmpp: " + e.getMessage());
            return 1;
        }
    }

    private static int serve(ServerConfig config, JdbcStorageProvider storage) {
        JdbcCredentialStore accounts = storage.accounts();
        XmppServer.Builder b = XmppServer.builder()
                .domain(config.domain())
                .bindAddress(config.bindAddress())
                .c2sPort(config.port())
                .directTlsPort(config.tlsPort())
                .s2sPort(config.s2sPort())
                .dataDirectory(config.dataDir())
                .credentials(accounts)
                .users(user -> accounts.exists(user.local()))
                .storage(storage)
                .allowPlaintextAuth(config.allowPlaintextAuth())
                .plainWithScram(config.plainWithScram())
                .plainCache(config.plainCache())
                .limits(config.limits())
                .streamManagement(config.streamManagement())
                .disableModules(config.disabledModules());
        if (config.certFile() != null) {
            b.certificate(config.certFile(), config.keyFile());
        }
        XmppServer server = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "xmpp-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int setPassword(String[] args, ServerConfig config, JdbcCredentialStore accounts,
                                   PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3) {
            err.println(USAGE);
            return 2;
        }
        String user = localpart(args[1], config);
        boolean exists = accounts.exists(user);
        if (args[0].equals("adduser") && exists) {
            err.println("xmpp: account " + user + "@" + config.domain() + " already exists");
            return 1;
        }
        if (args[0].equals("passwd") && !exists) {
            err.println("xmpp: no account " + user + "@" + config.domain());
            return 1;
        }
        String password = args.length == 3 && !args[2].equals("-") ? args[2] : readPassword();
        if (password == null || password.isEmpty()) {
            err.println("xmpp: no password given");
            return 2;
        }
        accounts.setPassword(user, password);
        out.println((exists ? "Changed the password of " : "Created ") + user + "@" + config.domain());
        return 0;
    }

    /**
     * Creates the accounts listed on {@code in}, one {@code <jid> <password>} a line (the password is
     * the rest of the line; blank lines and lines starting with {@code #} are skipped). Deriving the
     * SCRAM keys takes milliseconds per account and hash, so accounts are created on all cores at
     * once. An existing account, or one listed twice, is left unchanged and reported like a bad line;
     * the others are created.
     *
     * @return 0 if every listed account was created, 1 otherwise
     */
    static int addUsers(ServerConfig config, JdbcCredentialStore accounts, InputStream in,
                        PrintStream out, PrintStream err) {
        List<String> lines;
        try {
            lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        } catch (UncheckedIOException e) {
            err.println("xmpp: reading the account list failed: " + e.getMessage());
            return 1;
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<String>> results = new ArrayList<>();
            Set<String> listed = new HashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String problem = null;
                String[] parts = line.split("\\s+", 2);
                if (parts.length < 2) {
                    problem = "expected '<jid> <password>'";
                } else {
                    try {
                        String user = localpart(parts[0], config);
                        problem = listed.add(user) ? null : "account " + user + "@" + config.domain() + " listed twice";
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
                int lineNumber = i + 1;
                results.add(problem != null ? CompletableFuture.completedFuture("line " + lineNumber + ": " + problem)
                        : pool.submit(() -> addUser(config, accounts, lineNumber, parts[0], parts[1])));
            }
            int created = 0;
            for (Future<String> r : results) {
                String problem = r.get();
                if (problem == null) {
                    created++;
                } else {
                    err.println("xmpp: " + problem);
                }
            }
            out.printf(Locale.ROOT, "Created %d of %d accounts of %s in %.1f s%n", created, results.size(),
                    config.domain(), (System.nanoTime() - start) / 1e9);
            return created == results.size() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One account of {@link #addUsers}; returns what went wrong, or {@code null} once created. */
    private static String addUser(ServerConfig config, JdbcCredentialStore accounts, int lineNumber,
                                  String jid, String password) {
        try {
            String user = localpart(jid, config);
            if (accounts.exists(user)) {
                return "line " + lineNumber + ": account " + user + "@" + config.domain() + " already exists";
            }
            accounts.setPassword(user, password);
            return null;
        } catch (IllegalArgumentException e) {
            return "line " + lineNumber + ": " + e.getMessage();
        }
    }

    private static int deleteUser(String[] args, ServerConfig config, JdbcStorageProvider storage,
                                  PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println(USAGE);
            return 2;
        }
        String user = localpart(args[1], config);
        if (!storage.accounts().remove(user)) {
            err.println("xmpp: no account " + user + "@" + config.domain());
            return 1;
        }
        // Nothing of a deleted account is kept (and nothing leaks to a later account of that name).
        EntityBareJid jid = EntityBareJid.of(user, config.domain());
        storage.rosters().delete(jid);
        storage.offline().deleteUser(jid);
        storage.archive().deleteUser(jid);
        storage.privateXml().deleteUser(jid);
        storage.vcards().deleteUser(jid);
        out.println("Deleted " + user + "@" + config.domain());
        return 0;
    }

    /** Accepts {@code user@domain} for the configured domain, or a bare username. */
    private static String localpart(String arg, ServerConfig config) {
        try {
            Jid jid = Jid.parse(arg.contains("@") ? arg : arg + "@" + config.domain());
            if (!jid.domain().equals(Jid.parse(config.domain()).domain()) || jid.resource() != null) {
                throw new IllegalArgumentException("'" + arg + "' is not an account of " + config.domain());
            }
            return JdbcCredentialStore.prepare(jid.local());
        } catch (JidFormatException e) {
            throw new IllegalArgumentException("'" + arg + "' is not a valid JID: " + e.getMessage(), e);
        }
    }

    private static String readPassword() {
        if (System.console() != null) {
            char[] pw = System.console().readPassword("Password: ");
            return pw == null ? null : new String(pw);
        }
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
