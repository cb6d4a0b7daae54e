package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it: {@code adduser} with the password on stdin, then
 * {@code serve}, then a Smack login. Failsafe runs after {@code package} in the module directory.
 */
class CliProcessIT {

    static final Path JAR = Path.of("target/xmpp-server.jar");
    static final long PROCESS_TIMEOUT_S = 60;

    @TempDir
    Path dataDir;

    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void kill() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void adduserThenServeThenLogIn() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built by 'mvn package'");

        Process adduser = start("adduser", Map.of(), "alice@localhost");
        try (OutputStream stdin = adduser.getOutputStream()) {
            stdin.write("wonderland\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(adduser.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS), "adduser did not exit");
        assertEquals(0, adduser.exitValue(), output("adduser"));
        assertTrue(output("adduser").contains("Created alice@localhost"), output("adduser"));
        assertFalse(new String(Files.readAllBytes(dataDir.resolve("mu-xmpp.mv.db")), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("wonderland"), "only SCRAM keys are stored");

        int port = freePort();
        Process serve = start("serve", Map.of("XMPP_PORT", Integer.toString(port), "XMPP_TLS_PORT", "off",
                "XMPP_S2S_PORT", "off", "XMPP_BIND", "127.0.0.1"));
        awaitListening(serve, port);

        XMPPTCPConnection alice = SmackClients.connection(
                SmackClients.config("localhost", port, "alice", "wonderland").setResource("cli"));
        try {
            alice.connect().login();
            assertEquals("alice@localhost/cli", alice.getUser().toString());
            assertTrue(alice.isSecureConnection());
        } finally {
            alice.disconnect();
        }
    }

    private Process start(String command, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), command));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(command + ".out").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("XMPP_"));
        pb.environment().put("XMPP_DATA_DIR", dataDir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private String output(String command) throws IOException {
        return Files.readString(dataDir.resolve(command + ".out"));
    }

    /** Polls until the port accepts connections; fails if the process exits or a minute passes. */
    private void awaitListening(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_TIMEOUT_S);
        while (true) {
            if (!p.isAlive()) {
                fail("serve exited with " + p.exitValue() + ": " + output("serve"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    fail("serve did not listen on " + port + ": " + output("serve"));
                }
                Thread.sleep(100);
            }
        }
    }

    /** A port free right now; the server binds it a moment later, which is good enough on loopback. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
