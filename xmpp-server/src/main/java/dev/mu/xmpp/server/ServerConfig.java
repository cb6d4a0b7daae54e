package dev.mu.xmpp.server;

import dev.mu.xmpp.server.sm.StreamManagementConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bundled server's settings, read from the environment.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code XMPP_DOMAIN}</td><td>{@value #DEFAULT_DOMAIN}</td><td>the domain users' JIDs are in</td></tr>
 *   <tr><td>{@code XMPP_PORT}</td><td>{@value #DEFAULT_PORT}</td><td>client port with STARTTLS</td></tr>
 *   <tr><td>{@code XMPP_TLS_PORT}</td><td>{@value #DEFAULT_TLS_PORT}</td><td>client port with direct TLS (XEP-0368); {@code off} disables</td></tr>
 *   <tr><td>{@code XMPP_S2S_PORT}</td><td>{@value #DEFAULT_S2S_PORT}</td><td>server-to-server port (federation); {@code off} disables the listener</td></tr>
 *   <tr><td>{@code XMPP_BIND}</td><td>{@value #DEFAULT_BIND}</td><td>the address the listeners bind</td></tr>
 *   <tr><td>{@code XMPP_DATA_DIR}</td><td>{@value #DEFAULT_DATA_DIR}</td><td>accounts and the generated certificate</td></tr>
 *   <tr><td>{@code XMPP_CERT_FILE}, {@code XMPP_KEY_FILE}</td><td>none: self-signed</td><td>PEM certificate chain and PKCS#8 key</td></tr>
 *   <tr><td>{@code XMPP_ALLOW_PLAINTEXT_AUTH}</td><td>{@code false}</td><td>allow authentication without TLS</td></tr>
 *   <tr><td>{@code XMPP_DATABASE_URL}</td><td>none: embedded H2 in the data directory</td><td>a PostgreSQL JDBC URL</td></tr>
 *   <tr><td>{@code XMPP_DATABASE_USER}, {@code XMPP_DATABASE_PASSWORD}</td><td>none</td><td>PostgreSQL credentials</td></tr>
 *   <tr><td>{@code XMPP_SASL_PLAIN_WITH_SCRAM}</td><td>{@code false}</td><td>offer PLAIN also where SCRAM works</td></tr>
 *   <tr><td>{@code XMPP_PLAIN_CACHE_SECONDS}</td><td>{@value XmppServer#DEFAULT_PLAIN_CACHE_SECONDS}</td><td>how long
 *       a password verified at a PLAIN login is remembered; 0 remembers none</td></tr>
 *   <tr><td>{@code XMPP_SM}</td><td>{@code true}</td><td>offer XEP-0198 stream management</td></tr>
 *   <tr><td>{@code XMPP_SM_RESUMPTION_TIMEOUT_SECONDS}, {@code XMPP_SM_MAX_UNACKED}</td><td>see
 *       {@link StreamManagementConfig}</td><td>stream management</td></tr>
 *   <tr><td>{@code XMPP_MODULES_DISABLED}</td><td>none</td><td>comma-separated {@linkplain
 *       dev.mu.xmpp.router.spi.XmppModule#name() module names} to leave out, e.g. {@code mam}</td></tr>
 *   <tr><td>{@code XMPP_MAX_*}, {@code XMPP_C2S_*}, {@code XMPP_AUTH_*}, ...</td><td>see {@link C2sLimits}</td>
 *       <td>connection, session, rate, buffer, time, authentication and XML limits</td></tr>
 * </table>
 *
 * @param domain             the XMPP domain
 * @param bindAddress        the listening address
 * @param port               the STARTTLS client port
 * @param tlsPort            the direct TLS client port, or -1 when disabled
 * @param s2sPort            the server-to-server port, or -1 when disabled
 * @param dataDir            the data directory
 * @param certFile           the certificate PEM, or {@code null} for a self-signed certificate
 * @param keyFile            the key PEM, or {@code null} for a self-signed certificate
 * @param allowPlaintextAuth whether clients may authenticate without TLS
 * @param databaseUrl        a PostgreSQL JDBC URL, or {@code null} for the embedded database
 * @param databaseUser       the PostgreSQL user, or {@code null}
 * @param databasePassword   the PostgreSQL password, or {@code null}
 * @param plainWithScram     whether PLAIN is offered where SCRAM works too
 * @param plainCache         how long a verified PLAIN password is remembered; zero for not at all
 * @param limits             the limits of client connections
 * @param streamManagement   XEP-0198 stream management
 * @param disabledModules    names of the modules to leave out
 */
public record ServerConfig(String domain, String bindAddress, int port, int tlsPort, int s2sPort, Path dataDir,
                           Path certFile, Path keyFile, boolean allowPlaintextAuth,
                           String databaseUrl, String databaseUser, String databasePassword,
                           boolean plainWithScram, Duration plainCache, C2sLimits limits, StreamManagementConfig streamManagement,
                           Set<String> disabledModules) {

    /** The default domain. */
    public static final String DEFAULT_DOMAIN = "localhost";
    /** The default STARTTLS port, RFC 6120 §14.7. */
    public static final int DEFAULT_PORT = 5222;
    /** The default direct TLS port, XEP-0368. */
    public static final int DEFAULT_TLS_PORT = 5223;
    /** The default server-to-server port, RFC 6120 §14.7. */
    public static final int DEFAULT_S2S_PORT = 5269;
    /** The default listening address: every IPv4 interface. */
    public static final String DEFAULT_BIND = "0.0.0.0";
    /**
     * Opens the configured database: PostgreSQL when {@code XMPP_DATABASE_URL} is set, else the
     * embedded H2 file database in the data directory.
     */
    public dev.mu.xmpp.server.storage.Database openDatabase() {
        return databaseUrl == null
                ? dev.mu.xmpp.server.storage.Database.embedded(dataDir)
                : dev.mu.xmpp.server.storage.Database.postgres(databaseUrl, databaseUser, databasePassword);
    }

    /** The default data directory, relative to the working directory. */
    public static final String DEFAULT_DATA_DIR = "data";

    /**
     * Reads the settings from environment variables.
     *
     * @throws IllegalArgumentException with a message naming the variable whose value is wrong
     */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        String domain = env.getOrDefault("XMPP_DOMAIN", DEFAULT_DOMAIN).trim();
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("XMPP_DOMAIN must not be empty");
        }
        String cert = env.get("XMPP_CERT_FILE");
        String key = env.get("XMPP_KEY_FILE");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("XMPP_CERT_FILE and XMPP_KEY_FILE must be set together");
        }
        String tls = env.getOrDefault("XMPP_TLS_PORT", Integer.toString(DEFAULT_TLS_PORT));
        String s2s = env.getOrDefault("XMPP_S2S_PORT", Integer.toString(DEFAULT_S2S_PORT));
        return new ServerConfig(domain,
                env.getOrDefault("XMPP_BIND", DEFAULT_BIND),
                port(env, "XMPP_PORT", DEFAULT_PORT),
                "off".equalsIgnoreCase(tls) ? -1 : port(env, "XMPP_TLS_PORT", DEFAULT_TLS_PORT),
                "off".equalsIgnoreCase(s2s) ? -1 : port(env, "XMPP_S2S_PORT", DEFAULT_S2S_PORT),
                Path.of(env.getOrDefault("XMPP_DATA_DIR", DEFAULT_DATA_DIR)),
                cert == null ? null : Path.of(cert),
                key == null ? null : Path.of(key),
                bool(env, "XMPP_ALLOW_PLAINTEXT_AUTH"),
                database(env),
                env.get("XMPP_DATABASE_USER"),
                env.get("XMPP_DATABASE_PASSWORD"),
                bool(env, "XMPP_SASL_PLAIN_WITH_SCRAM"),
                Duration.ofSeconds(nonNegative("XMPP_PLAIN_CACHE_SECONDS",
                        env.getOrDefault("XMPP_PLAIN_CACHE_SECONDS", Integer.toString(XmppServer.DEFAULT_PLAIN_CACHE_SECONDS)))),
                C2sLimits.fromEnvironment(env),
                streamManagement(env),
                names(env.getOrDefault("XMPP_MODULES_DISABLED", "")));
    }

    private static Set<String> names(String list) {
        return Arrays.stream(list.split("[,\\s]+")).filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    private static StreamManagementConfig streamManagement(Map<String, String> env) {
        StreamManagementConfig.Builder b = StreamManagementConfig.builder()
                .enabled(!"false".equalsIgnoreCase(env.getOrDefault("XMPP_SM", "true")));
        String timeout = env.get("XMPP_SM_RESUMPTION_TIMEOUT_SECONDS");
        if (timeout != null) {
            b.resumptionTimeout(Duration.ofSeconds(nonNegative("XMPP_SM_RESUMPTION_TIMEOUT_SECONDS", timeout)));
        }
        String max = env.get("XMPP_SM_MAX_UNACKED");
        if (max != null) {
            int n = nonNegative("XMPP_SM_MAX_UNACKED", max);
            if (n < 1) {
                throw new IllegalArgumentException("XMPP_SM_MAX_UNACKED must be a positive integer, not '" + max + "'");
            }
            b.maxUnacked(n);
        }
        return b.build();
    }

    private static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative integer, not '" + value + "'");
        }
    }

    private static String database(Map<String, String> env) {
        String url = env.get("XMPP_DATABASE_URL");
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("XMPP_DATABASE_URL must be a jdbc:postgresql: URL, not '" + url + "'");
        }
        return url;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number from 0 to 65535, not '" + value + "'");
        }
    }

    private static boolean bool(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
    }
}
