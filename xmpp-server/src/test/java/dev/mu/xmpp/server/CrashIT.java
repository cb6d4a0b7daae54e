package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled server killed with SIGKILL loses no offline message it acknowledged: the jar runs as a
 * process over its embedded database, is killed, and is started again over the same data directory.
 *
 * <p>"Acknowledged" here: after sending the messages, the sender pings the server and gets the
 * result. The server handles a stream's stanzas in order and stores an offline message before it
 * reads the next stanza (XEP-0160 §2; {@code OfflineStore#store} is durable when it returns), so the
 * ping's result proves every earlier message was committed.
 */
class CrashIT {

    private static final int MESSAGES = 50;
    private static final long STARTUP_SECONDS = 60;

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void acknowledgedOfflineMessagesSurviveSigkillExactlyOnce() throws Exception {
        adduser("alice", "wonderland");
        adduser("bob", "builder");
        int port = freePort();

        Process first = serve(port, "first");
        List<String> sent = new ArrayList<>();
        try (Persistence.Client alice = Persistence.login(port, "alice", "wonderland", "phone")) {
            for (int i = 0; i < MESSAGES; i++) {
                String body = "crash-test " + i;
                alice.send("bob", body);
                sent.add(body);
            }
            // The acknowledgement: a ping answered after all of them, and no bounce among them.
            assertEquals(List.of(), alice.received());

            // SIGKILL on Linux: no shutdown hook, no orderly close of the database.
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the killed server did not exit");
        }

        serve(port, "second");
        try (Persistence.Client bob = Persistence.login(port, "bob", "builder", "laptop")) {
            List<Message> got = bob.received();

            assertEquals(sent, got.stream().map(Message::getBody).toList(), "every acknowledged message, once, in order");
            for (Message m : got) {
                DelayInformation delay = DelayInformation.from(m);
                assertNotNull(delay, () -> m.toXML().toString());
                assertEquals(Persistence.DOMAIN, delay.getFrom());
            }
        }
        try (Persistence.Client bob = Persistence.login(port, "bob", "builder", "tablet")) {
            assertEquals(List.of(), bob.received(), "delivered messages are gone");
        }
    }

    private Map<String, String> environment(int port) {
        return Map.of("XMPP_DOMAIN", Persistence.DOMAIN, "XMPP_DATA_DIR", dataDir.toString(),
                "XMPP_PORT", Integer.toString(port), "XMPP_TLS_PORT", "off", "XMPP_S2S_PORT", "off", "XMPP_BIND", "127.0.0.1");
    }

    private ProcessBuilder jar(String log, String... args) {
        Path jar = Path.of("target", "xmpp-server.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), () -> jar + " is built by 'mvn package' before the integration tests");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(log + ".log").toFile());
        return pb;
    }

    private void adduser(String user, String password) throws Exception {
        ProcessBuilder pb = jar("adduser-" + user, "adduser", user, "-");
        pb.environment().putAll(environment(0));
        Process p = pb.start();
        processes.add(p);
        try (OutputStream in = p.getOutputStream()) {
            in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(STARTUP_SECONDS, TimeUnit.SECONDS), "adduser did not finish");
        assertEquals(0, p.exitValue(), () -> "adduser failed: " + log("adduser-" + user));
    }

    private Process serve(int port, String log) throws Exception {
        ProcessBuilder pb = jar(log, "serve");
        pb.environment().putAll(environment(port));
        Process p = pb.start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("the server exited with " + p.exitValue() + ": " + log(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("the server did not listen within " + STARTUP_SECONDS + " s: " + log(log));
        return p;
    }

    private String log(String name) {
        try {
            return Files.readString(dataDir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
