package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Federation with a real Prosody (the Debian package): our server {@value #MU} on 127.0.0.2 and
 * Prosody's {@value #PROSODY} on 127.0.0.3, both on port 5269, authenticating each other with Server
 * Dialback over TLS with certificates neither trusts. Prosody finds our domain through a DNS
 * responder the test runs on loopback (libunbound's {@code forward}); we find Prosody through the
 * static host map.
 */
class ProsodyInteropIT {

    static final String MU = "mu.test";
    static final String PROSODY = "prosody.test";
    static final String MU_ADDRESS = "127.0.0.2";
    static final String PROSODY_ADDRESS = "127.0.0.3";
    static final int PROSODY_C2S_PORT = 5222;
    static final Path PROSODY_BIN = Path.of("/usr/bin/prosody");
    static final Path PROSODYCTL_BIN = Path.of("/usr/bin/prosodyctl");
    static final Duration PROCESS_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    TestDnsServer dns;
    XmppServer server;
    Process prosody;
    final List<XMPPTCPConnection> connections = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(PROSODY_BIN), "Prosody is not installed (apt-get install prosody)");
        dns = new TestDnsServer("127.0.0.1").a(MU, MU_ADDRESS).a(PROSODY, PROSODY_ADDRESS);
        TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
        TestPki.Issued cert = pki.issue(PROSODY);
        Path config = writeConfig(cert);
        run("register", PROSODYCTL_BIN.toString(), "--config", config.toString(), "register", "bob", PROSODY, "builder");

        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "wonderland");
        server = XmppServer.builder()
                .domain(MU)
                .bindAddress(MU_ADDRESS)
                .c2sPort(0)
                .directTlsPort(-1)
                .s2sPort(PeerResolver.DEFAULT_PORT)
                .s2sHosts(Map.of(PROSODY, new InetSocketAddress(PROSODY_ADDRESS, PeerResolver.DEFAULT_PORT)))
                .dataDirectory(Files.createDirectories(dir.resolve("mu")))
                .credentials(store)
                .threads(2)
                .build()
                .start();

        prosody = new ProcessBuilder(PROSODY_BIN.toString(), "--config", config.toString(), "-F")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prosody.out").toFile())
                .start();
        awaitListening(PROSODY_ADDRESS, PROSODY_C2S_PORT);
    }

    @AfterEach
    void stop() throws Exception {
        SmackClients.disconnectAll(connections);
        if (prosody != null) {
            prosody.destroy();
            if (!prosody.waitFor(10, TimeUnit.SECONDS)) {
                prosody.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void subscriptionPresenceAndMessagesBothWaysWithProsody() throws Exception {
        XMPPTCPConnection alice = SmackClients.connection(SmackClients.config(MU, server.c2sPort(), "alice", "wonderland")
                .setHost(MU_ADDRESS).setResource("mu").setSendPresence(false));
        connections.add(alice);
        XMPPTCPConnection bob = SmackClients.connection(SmackClients.config(PROSODY, PROSODY_C2S_PORT, "bob", "builder")
                .setHost(PROSODY_ADDRESS).setResource("prosody").setSendPresence(false));
        connections.add(bob);
        FederationTranscript.online(alice);
        FederationTranscript.online(bob);
        try {
            FederationTranscript.run(alice, JidCreate.bareFrom("alice@" + MU), bob, JidCreate.bareFrom("bob@" + PROSODY));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- prosody.log ---\n" + prosodyLog(), e);
        }
    }

    /**
     * Prosody's configuration: its own interface, ports, data and log in the temporary directory,
     * dialback allowed for certificates that do not validate, and libunbound asking the test's DNS.
     */
    private Path writeConfig(TestPki.Issued cert) throws IOException {
        Path data = Files.createDirectories(dir.resolve("prosody-data"));
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, MU_ADDRESS + " " + MU + "\n" + PROSODY_ADDRESS + " " + PROSODY + "\n");
        String lua = String.join("\n",
                "daemonize = false",
                "run_as_root = true",
                "pidfile = " + quote(dir.resolve("prosody.pid")),
                "data_path = " + quote(data),
                "log = { debug = " + quote(dir.resolve("prosody.log")) + " }",
                "interfaces = { " + quote(PROSODY_ADDRESS) + " }",
                "c2s_ports = { " + PROSODY_C2S_PORT + " }",
                "s2s_ports = { " + PeerResolver.DEFAULT_PORT + " }",
                "c2s_direct_tls_ports = { }",
                "s2s_direct_tls_ports = { }",
                "http_ports = { }",
                "https_ports = { }",
                "modules_enabled = { \"roster\", \"saslauth\", \"tls\", \"dialback\", \"disco\", \"ping\" }",
                "modules_disabled = { }",
                "authentication = \"internal_hashed\"",
                "storage = \"internal\"",
                "c2s_require_encryption = true",
                "s2s_require_encryption = true",
                "s2s_secure_auth = false",
                "unbound = { resolvconf = false, hoststxt = " + quote(hosts) + ", forward = "
                        + quote(dns.address().getAddress().getHostAddress() + "@" + dns.address().getPort()) + " }",
                "VirtualHost " + quote(PROSODY),
                "  ssl = { certificate = " + quote(cert.certFile()) + ", key = " + quote(cert.keyFile()) + " }",
                "");
        Path config = dir.resolve("prosody.cfg.lua");
        Files.writeString(config, lua);
        return config;
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void run(String name, String... command) throws Exception {
        Path out = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(PROCESS_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish: " + Files.readString(out));
        }
        assertEquals(0, p.exitValue(), name + ": " + Files.readString(out));
    }

    private void awaitListening(String host, int port) throws Exception {
        long deadline = System.nanoTime() + PROCESS_WAIT.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                if (!prosody.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new AssertionError("Prosody is not listening on " + host + ":" + port + "\n"
                            + Files.readString(dir.resolve("prosody.out"), StandardCharsets.UTF_8) + "\n" + prosodyLog());
                }
                Thread.sleep(100);
            }
        }
    }

    private String prosodyLog() {
        try {
            String log = Files.readString(dir.resolve("prosody.log"), StandardCharsets.UTF_8);
            return log.length() > 20_000 ? log.substring(log.length() - 20_000) : log;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
