package dev.mu.xmpp.mu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mu.xmpp.server.Check;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line of {@code mu-xmpp.jar}, in the manner of {@code prosodyctl}: {@code serve},
 * {@code check}, and {@code adduser}/{@code passwd}/{@code deluser}, which only say that accounts
 * are Mu's. Settings come from the environment (see {@link MuConfig}).
 */
public final class MuMain {

    private static final Logger log = LoggerFactory.getLogger(MuMain.class);

    private static final String USAGE = """
            usage: java -jar mu-xmpp.jar <command>
              serve                      run Mu's XMPP service (only with XMPP_ENABLED=true)
              check                      diagnose ports, certificate, DNS SRV records and Mu's accounts
              adduser, passwd, deluser   accounts are Mu's: manage them in Mu
            environment: XMPP_ENABLED XMPP_DOMAIN XMPP_PORT XMPP_TLS_PORT XMPP_S2S_PORT XMPP_BIND
                         XMPP_CERT_FILE XMPP_KEY_FILE XMPP_DATA_DIR MU_DATA_DIR MU_URL
                         XMPP_STATUS_PORT XMPP_STATUS_BIND XMPP_ALLOW_PLAINTEXT_AUTH XMPP_PLAIN_CACHE_SECONDS
                         XMPP_DATABASE_URL XMPP_DATABASE_USER XMPP_DATABASE_PASSWORD""";

    private MuMain() {
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
        if (args.length != 1) {
            err.println(USAGE);
            return 2;
        }
        switch (args[0]) {
            case "adduser", "passwd", "deluser" -> {
                err.println("xmpp: accounts are Mu's: create them, change their passwords and delete them in Mu;"
                        + " this server reads accounts.json and never writes it");
                return 1;
            }
            case "serve", "check" -> {
                // decided below, once the configuration is read
            }
            default -> {
                err.println(USAGE);
                return 2;
            }
        }
        try {
            boolean enabled = MuConfig.enabled(env);
            if (args[0].equals("serve") && !enabled) {
                log.info("xmpp disabled: XMPP_ENABLED is not true, so Mu's XMPP service is not started");
                return 0;
            }
            MuConfig config = MuConfig.fromEnvironment(env);
            return args[0].equals("serve") ? serve(config, err) : check(config, enabled, out);
        } catch (IllegalArgumentException e) {
            err.println("xmpp: " + e.getMessage());
            return 2;
        }
    }

    private static int serve(MuConfig config, PrintStream err) {
        MuXmppService service;
        try {
            service = MuXmppService.start(config);
        } catch (RuntimeException e) {
            err.println("xmpp: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "xmpp-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int check(MuConfig config, boolean enabled, PrintStream out) {
        Check check = new Check(config.server());
        List<Check.Finding> findings = new ArrayList<>();
        findings.add(enabled
                ? new Check.Finding(Check.Level.OK, "XMPP_ENABLED=true")
                : new Check.Finding(Check.Level.WARN, "XMPP_ENABLED is not true: serve starts nothing"));
        findings.addAll(check.findings());
        if (config.statusPort() >= 0) {
            findings.add(statusPort(config));
        }
        findings.addAll(config.muUrl() != null ? muOverHttp(config) : muFiles(config.muDataDir()));
        return check.report(findings, out) == 0 ? 0 : 1;
    }

    private static Check.Finding statusPort(MuConfig config) {
        if (config.statusPort() == 0) {
            return new Check.Finding(Check.Level.OK, "status port (XMPP_STATUS_PORT): 0, any free port");
        }
        String where = config.statusBind() + ":" + config.statusPort();
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(config.statusBind()), config.statusPort()));
            return new Check.Finding(Check.Level.OK, "status port (XMPP_STATUS_PORT) " + where + " is free");
        } catch (IOException e) {
            return new Check.Finding(Check.Level.FAIL, "status port (XMPP_STATUS_PORT) " + where + " cannot be bound: " + e.getMessage());
        }
    }

    private static List<Check.Finding> muFiles(Path dir) {
        List<Check.Finding> found = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        Path accounts = dir.resolve("accounts.json");
        if (!Files.exists(accounts)) {
            found.add(new Check.Finding(Check.Level.FAIL, "no " + accounts + ": is MU_DATA_DIR Mu's data directory?"));
        } else {
            try {
                JsonNode root = json.readTree(accounts.toFile());
                found.add(root.isObject()
                        ? new Check.Finding(Check.Level.OK, "Mu accounts: " + root.size() + " in " + accounts)
                        : new Check.Finding(Check.Level.FAIL, accounts + " is not a JSON object of accounts by id"));
            } catch (IOException e) {
                found.add(new Check.Finding(Check.Level.FAIL, "cannot read " + accounts + ": " + e.getMessage()));
            }
        }
        Path tokens = dir.resolve("tokens.json");
        if (Files.exists(tokens)) {
            try {
                JsonNode root = json.readTree(tokens.toFile());
                found.add(root.isObject() || root.isArray()
                        ? new Check.Finding(Check.Level.OK, "Mu access tokens: " + root.size() + " in " + tokens)
                        : new Check.Finding(Check.Level.FAIL, tokens + " is neither a JSON array nor an object of tokens"));
            } catch (IOException e) {
                found.add(new Check.Finding(Check.Level.FAIL, "cannot read " + tokens + ": " + e.getMessage()));
            }
        }
        return found;
    }

    private static List<Check.Finding> muOverHttp(MuConfig config) {
        MuHttpLogin mu = new MuHttpLogin(config.muUrl(), new MuLoginLedger(config.server().dataDir()));
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        try {
            // A login that must fail: it shows that Mu answers without logging anyone in.
            mu.accepts("xmpp_check", HexFormat.of().formatHex(secret));
            return List.of(new Check.Finding(Check.Level.OK, "Mu answers at " + mu.loginUrl()));
        } catch (IllegalStateException e) {
            return List.of(new Check.Finding(Check.Level.FAIL, e.getMessage() + " (MU_URL)"));
        }
    }
}
