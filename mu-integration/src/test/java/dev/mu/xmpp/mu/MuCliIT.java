package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.server.TlsContextSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/mu-xmpp.jar ...} as Mu's launcher runs it, one process per command. */
class MuCliIT {

    private static final Path JAR = Path.of("target", "mu-xmpp.jar");

    @TempDir
    Path tmp;

    Map<String, String> env;

    /** What a finished process printed. */
    record Run(int status, List<String> out, List<String> err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        new MuFixtures(tmp.resolve("mu")).account("alice", "wonderland");
        env = new HashMap<>();
        // Nothing of the machine's environment, and a home of our own, so ~/.mu is never the real one.
        env.put("HOME", tmp.toString());
        env.put("MU_DATA_DIR", tmp.resolve("mu").toString());
        env.put("XMPP_DATA_DIR", tmp.resolve("xmpp").toString());
        env.put("XMPP_BIND", "127.0.0.1");
        env.put("XMPP_STATUS_BIND", "127.0.0.1");
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("stdout").toFile())
                .redirectError(tmp.resolve("stderr").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    private Run run(String... args) throws Exception {
        Process p = start(args);
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command ends by itself");
            return new Run(p.exitValue(), Files.readAllLines(tmp.resolve("stdout")), Files.readAllLines(tmp.resolve("stderr")));
        } finally {
            p.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void withoutXmppEnabledServeSaysSoInOneLineAndStartsNothing() throws Exception {
        env.put("XMPP_PORT", Integer.toString(freePort()));
        Run r = run("serve");
        assertEquals(0, r.status());
        assertEquals(List.of(), r.out());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).contains("xmpp disabled: XMPP_ENABLED is not true"), r.err().get(0));
        assertFalse(Files.exists(tmp.resolve("xmpp")), "no database, no certificate: nothing was started");
        try (ServerSocket free = new ServerSocket(Integer.parseInt(env.get("XMPP_PORT")), 1, InetAddress.getLoopbackAddress())) {
            assertTrue(free.isBound());
        }
    }

    @Test
    void aWrongValueFailsWithOneLineNamingTheVariable() throws Exception {
        env.put("XMPP_ENABLED", "true");
        env.put("XMPP_PORT", "52x22");
        Run r = run("serve");
        assertEquals(2, r.status());
        assertEquals(List.of("xmpp: XMPP_PORT must be a port number from 0 to 65535, not '52x22'"), r.err());

        env.put("XMPP_ENABLED", "yes");
        r = run("serve");
        assertEquals(2, r.status());
        assertEquals(List.of("xmpp: XMPP_ENABLED must be true or false, not 'yes'"), r.err());
    }

    @Test
    void accountCommandsSayThatMuManagesAccounts() throws Exception {
        for (String command : List.of("adduser", "passwd", "deluser")) {
            Run r = run(command);
            assertEquals(1, r.status(), command);
            assertEquals(1, r.err().size(), command);
            assertTrue(r.err().get(0).startsWith("xmpp: accounts are Mu's"), r.err().get(0));
        }
        assertTrue(Files.readString(tmp.resolve("mu").resolve("accounts.json")).contains("\"alice\""));
    }

    @Test
    void serveRunsMuXmppUntilStopped() throws Exception {
        env.put("XMPP_ENABLED", "true");
        env.put("XMPP_DOMAIN", "chat.example.com");
        env.put("XMPP_PORT", "0");
        env.put("XMPP_TLS_PORT", "off");
        env.put("XMPP_S2S_PORT", "0");
        env.put("XMPP_STATUS_PORT", "0");
        Process p = start("serve");
        try {
            int c2s = Integer.parseInt(awaitLog(p, Pattern.compile("xmpp server for chat.example.com listening on \\[/127.0.0.1:(\\d+)[],]")));
            int status = Integer.parseInt(awaitLog(p, Pattern.compile("xmpp status on http://127.0.0.1:(\\d+)/status")));

            MuSmack.login("chat.example.com", c2s, "alice", "wonderland", "PLAIN").disconnect();
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + status + "/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.startsWith("{\"healthy\":true,\"services\":[{\"name\":\"XMPP Server\",\"status\":true,\"details\":\"chat.example.com:" + c2s + " ("), body);

            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the server");
            for (String line : Files.readAllLines(tmp.resolve("stderr"))) {
                assertTrue(line.contains("xmpp"), "every log line names xmpp: " + line);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Waits for a log line and returns its first group; fails if the process ends first. */
    private String awaitLog(Process p, Pattern line) throws Exception {
        for (int i = 0; i < 1200; i++) {
            Matcher m = line.matcher(Files.readString(tmp.resolve("stderr")));
            if (m.find()) {
                return m.group(1);
            }
            assertTrue(p.isAlive(), () -> "the server ended early: " + readQuietly(tmp.resolve("stderr")));
            Thread.sleep(100);
        }
        throw new AssertionError("no log line " + line + " in " + readQuietly(tmp.resolve("stderr")));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void checkFindsATakenPortAForeignCertificateAndMissingSrvRecords() throws Exception {
        TlsContextSource.selfSigned("other.example", tmp.resolve("certs"));
        int s2s = freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            env.put("XMPP_DOMAIN", "chat.example.com");
            env.put("XMPP_PORT", Integer.toString(taken.getLocalPort()));
            env.put("XMPP_TLS_PORT", "off");
            env.put("XMPP_S2S_PORT", Integer.toString(s2s));
            env.put("XMPP_STATUS_PORT", "0");
            env.put("XMPP_CERT_FILE", tmp.resolve("certs/other.example.crt").toString());
            env.put("XMPP_KEY_FILE", tmp.resolve("certs/other.example.key").toString());
            Run r = run("check");

            String out = String.join("\n", r.out());
            assertEquals(1, r.status(), out);
            assertTrue(out.contains("[FAIL] client port (STARTTLS, XMPP_PORT) 127.0.0.1:" + taken.getLocalPort() + " is already in use"), out);
            assertTrue(out.contains("[ok]   server-to-server port (XMPP_S2S_PORT) 127.0.0.1:" + s2s + " is free"), out);
            assertTrue(out.contains("[FAIL] certificate " + env.get("XMPP_CERT_FILE") + " is for other.example, not for XMPP_DOMAIN chat.example.com"), out);
            assertTrue(out.contains("[FAIL] DNS: no SRV record _xmpp-client._tcp.chat.example.com"), out);
            assertTrue(out.contains("[FAIL] DNS: no SRV record _xmpp-server._tcp.chat.example.com"), out);
            assertTrue(out.contains("  _xmpp-client._tcp.chat.example.com. 3600 IN SRV 5 0 " + taken.getLocalPort() + " chat.example.com."), out);
            assertTrue(out.contains("  _xmpp-server._tcp.chat.example.com. 3600 IN SRV 5 0 " + s2s + " chat.example.com."), out);
            assertTrue(out.contains("[ok]   Mu accounts: 1 in " + tmp.resolve("mu/accounts.json")), out);
            assertTrue(out.contains("[warn] XMPP_ENABLED is not true"), out);
        }
    }

    @Test
    void checkPassesAWorkableLocalSetup() throws Exception {
        env.put("XMPP_ENABLED", "true");
        env.put("XMPP_PORT", Integer.toString(freePort()));
        env.put("XMPP_TLS_PORT", "off");
        env.put("XMPP_S2S_PORT", Integer.toString(freePort()));
        env.put("XMPP_STATUS_PORT", Integer.toString(freePort()));
        Run r = run("check");
        String out = String.join("\n", r.out());
        assertEquals(0, r.status(), out);
        assertTrue(out.contains("[ok]   DNS not checked: localhost is not a public domain name"), out);
        assertTrue(out.contains("[warn] no certificate configured"), out);
        assertTrue(out.endsWith("xmpp check: no problems found"), out);
    }

    @Test
    void theBundledServerHasCheckToo() throws Exception {
        env.put("XMPP_PORT", Integer.toString(freePort()));
        env.put("XMPP_TLS_PORT", "off");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", JAR.toString(), "dev.mu.xmpp.server.Main", "check");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("stdout").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            String out = Files.readString(tmp.resolve("stdout"));
            assertTrue(out.contains("xmpp check for localhost:"), out);
            assertTrue(out.contains("[ok]   client port (STARTTLS, XMPP_PORT) 127.0.0.1:" + env.get("XMPP_PORT") + " is free"), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
