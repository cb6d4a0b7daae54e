package dev.mu.xmpp.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.server.XmppServer;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the load generator: 20 users against an in-process server on a free loopback port,
 * two seconds of steady chat, once without TLS and once over STARTTLS. Checks only that they logged
 * in and that messages were delivered without errors; speed is measured with the command, never
 * asserted here.
 */
class LoadGeneratorIT {

    @Test
    void steadyChatDeliversMessages() throws Exception {
        try (XmppServer server = InMemoryServer.start(0, "localhost", 20, "load", "load-password", 2, java.util.List.of())) {
            for (String tls : new String[] {"--no-tls", null}) {
                LoadOptions options = LoadOptions.parse(tls == null
                        ? args(server, "SCRAM-SHA-256")
                        : concat(args(server, "SCRAM-SHA-1"), tls));
                LoadReport report = new LoadGenerator(options).run();

                assertEquals(20, report.number("online"), report.line());
                assertTrue(report.number("delivered_total") > 0, report.line());
                assertEquals(0, report.number("errors"), report.line());
            }
        }
    }

    private static String[] args(XmppServer server, String mechanism) {
        return new String[] {"--port", Integer.toString(server.c2sPort()), "--domain", "localhost",
            "--users", "20", "--scenario", "chat", "--rate", "200", "--warmup", "0", "--duration", "2",
            "--mechanism", mechanism, "--login-timeout", "60"};
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
