package dev.mu.xmpp.mu;

import dev.mu.xmpp.server.ServerConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Mu's XMPP settings, read from the environment as Mu documents them, on top of the server's own
 * ({@link ServerConfig}: {@code XMPP_DOMAIN}, {@code XMPP_PORT}, {@code XMPP_TLS_PORT},
 * {@code XMPP_BIND}, {@code XMPP_CERT_FILE}/{@code XMPP_KEY_FILE}, database variables).
 *
 * <table>
 *   <caption>Variables added for Mu</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code XMPP_ENABLED}</td><td>{@code false}</td><td>{@code true} starts the service; see {@link #enabled}</td></tr>
 *   <tr><td>{@code MU_DATA_DIR}</td><td>{@value #DEFAULT_MU_DATA_DIR}</td><td>Mu's data: {@code accounts.json}, {@code tokens.json}</td></tr>
 *   <tr><td>{@code MU_URL}</td><td>none</td><td>a Mu on another host: passwords are checked with its {@code POST /login}</td></tr>
 *   <tr><td>{@code XMPP_DATA_DIR}</td><td>{@code MU_DATA_DIR/xmpp}</td><td>the server's database, certificate and SCRAM ledger</td></tr>
 *   <tr><td>{@code XMPP_STATUS_PORT}</td><td>{@value #DEFAULT_STATUS_PORT}</td><td>port of {@code GET /status}; {@code off} disables it</td></tr>
 *   <tr><td>{@code XMPP_STATUS_BIND}</td><td>{@value #DEFAULT_STATUS_BIND}</td><td>the address the status endpoint binds</td></tr>
 * </table>
 *
 * @param server     the server settings
 * @param muDataDir  Mu's data directory
 * @param muUrl      the base URL of a remote Mu, or {@code null} to read Mu's files
 * @param statusBind the status endpoint's address
 * @param statusPort the status endpoint's port, 0 for any, or -1 when disabled
 */
public record MuConfig(ServerConfig server, Path muDataDir, URI muUrl, String statusBind, int statusPort) {

    /** Mu's data directory by default; a leading {@code ~/} means the user's home. */
    public static final String DEFAULT_MU_DATA_DIR = "~/.mu/data";
    /** The default status port: Prosody's HTTP port, free beside Mu's own 8080. */
    public static final int DEFAULT_STATUS_PORT = 5280;
    /** The status endpoint listens on loopback by default: Mu asks it from the same host. */
    public static final String DEFAULT_STATUS_BIND = "127.0.0.1";

    /**
     * Whether Mu's XMPP service is switched on: only {@code XMPP_ENABLED=true} does, as in Mu.
     * Unset, empty and {@code false} mean off.
     *
     * @throws IllegalArgumentException for any other value, so that a typo does not silently
     *                                  leave the service off
     */
    public static boolean enabled(Map<String, String> env) {
        String value = env.getOrDefault("XMPP_ENABLED", "").trim();
        if (value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException("XMPP_ENABLED must be true or false, not '" + value + "'");
    }

    /**
     * Reads the settings from environment variables.
     *
     * @param env  the environment
     * @param home the user's home directory, for {@code ~/} in {@code MU_DATA_DIR}
     * @throws IllegalArgumentException with a message naming the variable whose value is wrong
     */
    public static MuConfig fromEnvironment(Map<String, String> env, Path home) {
        Path muData = path(env.getOrDefault("MU_DATA_DIR", DEFAULT_MU_DATA_DIR), home, "MU_DATA_DIR");
        Map<String, String> serverEnv = new HashMap<>(env);
        // The server's own files live beside Mu's unless the operator put them elsewhere.
        serverEnv.putIfAbsent("XMPP_DATA_DIR", muData.resolve("xmpp").toString());
        ServerConfig server = ServerConfig.fromEnvironment(serverEnv);
        String status = env.getOrDefault("XMPP_STATUS_PORT", Integer.toString(DEFAULT_STATUS_PORT)).trim();
        String statusBind = env.getOrDefault("XMPP_STATUS_BIND", DEFAULT_STATUS_BIND).trim();
        if (statusBind.isEmpty()) {
            throw new IllegalArgumentException("XMPP_STATUS_BIND must not be empty");
        }
        return new MuConfig(server, muData, muUrl(env.get("MU_URL")),
                statusBind,
                status.equalsIgnoreCase("off") ? -1 : port(env, "XMPP_STATUS_PORT", DEFAULT_STATUS_PORT));
    }

    /** The server-to-server port ({@code XMPP_S2S_PORT}, read by {@link ServerConfig}), or -1 when off. */
    public int s2sPort() {
        return server.s2sPort();
    }

    /** Reads the settings with the current user's home directory. */
    public static MuConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, Path.of(System.getProperty("user.home")));
    }

    private static Path path(String value, Path home, String name) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return v.equals("~") ? home : v.startsWith("~/") ? home.resolve(v.substring(2)) : Path.of(v);
    }

    private static URI muUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MU_URL must be an http:// or https:// URL, not '" + value + "'", e);
        }
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the variable's name
        }
        throw new IllegalArgumentException(name + " must be a port number from 0 to 65535, not '" + value + "'");
    }
}
