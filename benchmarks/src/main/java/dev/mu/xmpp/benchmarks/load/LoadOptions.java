package dev.mu.xmpp.benchmarks.load;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The load generator's settings, from the command line.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code --scenario}</td><td>{@code chat}</td><td>{@code login}, {@code idle}, {@code chat} or {@code max} ({@link Scenario})</td></tr>
 *   <tr><td>{@code --host}</td><td>{@code 127.0.0.1}</td><td>the server; must be a loopback address</td></tr>
 *   <tr><td>{@code --port}</td><td>5222</td><td>its client port (STARTTLS or plaintext)</td></tr>
 *   <tr><td>{@code --domain}</td><td>{@code localhost}</td><td>the XMPP domain the accounts belong to</td></tr>
 *   <tr><td>{@code --users}</td><td>100</td><td>sessions, as users {@code <prefix>1 ... <prefix>N}</td></tr>
 *   <tr><td>{@code --user-prefix}</td><td>{@code load}</td><td>localpart prefix of the accounts</td></tr>
 *   <tr><td>{@code --password}</td><td>{@code load-password}</td><td>every account's password</td></tr>
 *   <tr><td>{@code --mechanism}</td><td>{@code SCRAM-SHA-1}</td><td>{@code SCRAM-SHA-1}, {@code SCRAM-SHA-256} or {@code PLAIN}</td></tr>
 *   <tr><td>{@code --no-tls}</td><td>off</td><td>authenticate without STARTTLS (the server must allow it)</td></tr>
 *   <tr><td>{@code --rate}</td><td>1000</td><td>messages per second in {@code chat}</td></tr>
 *   <tr><td>{@code --duration}</td><td>10</td><td>seconds measured (at most {@value #MAX_DURATION_SECONDS})</td></tr>
 *   <tr><td>{@code --warmup}</td><td>2</td><td>seconds of traffic before measuring ({@code chat}, {@code max})</td></tr>
 *   <tr><td>{@code --window}</td><td>8 × users</td><td>messages in flight at most ({@code max}; caps {@code chat} too)</td></tr>
 *   <tr><td>{@code --concurrency}</td><td>100</td><td>logins in progress at once</td></tr>
 *   <tr><td>{@code --login-timeout}</td><td>120</td><td>seconds allowed for logging all users in (at most {@value #MAX_LOGIN_TIMEOUT_SECONDS})</td></tr>
 *   <tr><td>{@code --server-pid}</td><td>none</td><td>the server's pid, for RSS and CPU from {@code /proc}</td></tr>
 *   <tr><td>{@code --threads}</td><td>1</td><td>the generator's event-loop threads</td></tr>
 *   <tr><td>{@code --resource}</td><td>{@code load}</td><td>the resource every session binds</td></tr>
 *   <tr><td>{@code --histograms}</td><td>none</td><td>a directory for the server's class histograms before and after ({@code idle})</td></tr>
 * </table>
 */
record LoadOptions(Scenario scenario, String host, int port, String domain, int users, String userPrefix,
                   String password, String mechanism, boolean tls, int rate, int durationSeconds,
                   int warmupSeconds, int window, int concurrency, int loginTimeoutSeconds, long serverPid,
                   int threads, String resource, Path histogramDir) {

    /** Longest measurement accepted: every run stops by itself. */
    static final int MAX_DURATION_SECONDS = 600;
    /** Longest login phase accepted: 19,000 TLS logins on a busy 2-core machine take longer than a measurement. */
    static final int MAX_LOGIN_TIMEOUT_SECONDS = 3600;

    static final String USAGE = """
            usage: java -cp benchmarks.jar dev.mu.xmpp.benchmarks.load.LoadGenerator [options]
              --scenario login|idle|chat|max   (chat)
              --host 127.0.0.1 --port 5222 --domain localhost   (loopback only)
              --users 100 --user-prefix load --password load-password   (accounts load1..loadN)
              --mechanism SCRAM-SHA-1|SCRAM-SHA-256|PLAIN --no-tls
              --rate 1000 (msgs/s, chat) --duration 10 --warmup 2 --window <8*users>
              --concurrency 100 --login-timeout 120 --server-pid <pid> --threads 1 --resource load
              --histograms <dir>   (idle: save the server's class histograms)""";

    /** What a run does. */
    enum Scenario {
        /** Log users in (round-robin, {@code --concurrency} at once) and out again, as fast as possible. */
        LOGIN,
        /**
         * Log every user in, set presence, hold the sessions idle; report the server's RSS and, for a JVM,
         * its live heap per session.
         */
        IDLE,
        /** Steady one-to-one chat at {@code --rate} messages per second to random contacts. */
        CHAT,
        /** As many messages as the server delivers, with at most {@code --window} in flight. */
        MAX
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException on an unknown option or a bad value
     */
    static LoadOptions parse(String... args) {
        Scenario scenario = Scenario.CHAT;
        String host = "127.0.0.1";
        int port = 5222;
        String domain = "localhost";
        int users = 100;
        String prefix = "load";
        String password = "load-password";
        String mechanism = "SCRAM-SHA-1";
        boolean tls = true;
        int rate = 1000;
        int duration = 10;
        int warmup = 2;
        int window = -1;
        int concurrency = 100;
        int loginTimeout = 120;
        long pid = 0;
        int threads = 1;
        String resource = "load";
        Path histogramDir = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-tls")) {
                tls = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value of " + option);
            }
            String v = args[++i];
            switch (option) {
                case "--scenario" -> scenario = Scenario.valueOf(v.toUpperCase(Locale.ROOT));
                case "--host" -> host = v;
                case "--port" -> port = positive(option, v);
                case "--domain" -> domain = v;
                case "--users" -> users = positive(option, v);
                case "--user-prefix" -> prefix = v;
                case "--password" -> password = v;
                case "--mechanism" -> mechanism = mechanism(v);
                case "--rate" -> rate = positive(option, v);
                case "--duration" -> duration = Math.min(MAX_DURATION_SECONDS, positive(option, v));
                case "--warmup" -> warmup = Math.min(MAX_DURATION_SECONDS, Integer.parseInt(v));
                case "--window" -> window = positive(option, v);
                case "--concurrency" -> concurrency = positive(option, v);
                case "--login-timeout" -> loginTimeout = Math.min(MAX_LOGIN_TIMEOUT_SECONDS, positive(option, v));
                case "--server-pid" -> pid = Long.parseLong(v);
                case "--threads" -> threads = positive(option, v);
                case "--resource" -> resource = v;
                case "--histograms" -> histogramDir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (scenario != Scenario.LOGIN && users < 2) {
            throw new IllegalArgumentException("--users must be at least 2 to chat");
        }
        return new LoadOptions(scenario, host, port, domain, users, prefix, password, mechanism, tls, rate,
                duration, Math.max(0, warmup), window > 0 ? window : 8 * users, concurrency, loginTimeout, pid,
                threads, resource, histogramDir);
    }

    /** The localpart of user {@code i}, counted from 1. */
    String user(int i) {
        return userPrefix + i;
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    private static String mechanism(String value) {
        String m = value.toUpperCase(Locale.ROOT);
        if (!m.equals("PLAIN") && !m.equals("SCRAM-SHA-1") && !m.equals("SCRAM-SHA-256")) {
            throw new IllegalArgumentException("unsupported mechanism " + value);
        }
        return m;
    }
}
