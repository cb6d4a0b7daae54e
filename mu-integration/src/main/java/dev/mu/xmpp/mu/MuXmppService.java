package dev.mu.xmpp.mu;

import dev.mu.xmpp.server.ServerConfig;
import dev.mu.xmpp.server.XmppServer;
import dev.mu.xmpp.server.storage.JdbcStorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mu's XMPP service, running: the server with Mu's accounts as credentials, its database, and the
 * status endpoint. What {@code mu-xmpp.jar serve} runs, and what a JVM program embeds:
 *
 * <pre>{@code
 * try (MuXmppService xmpp = MuXmppService.start(MuConfig.fromEnvironment(System.getenv()))) {
 *     MuStatus status = xmpp.status();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MuXmppService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MuXmppService.class);

    private final MuConfig config;
    private final MuCredentialStore credentials;
    private final XmppServer server;
    private final MuStatusEndpoint statusEndpoint;
    private volatile boolean running;

    private MuXmppService(MuConfig config, MuCredentialStore credentials, XmppServer server) {
        this.config = config;
        this.credentials = credentials;
        this.server = server;
        this.running = true;
        // Last: from here on requests may ask status(), which needs the fields above.
        this.statusEndpoint = config.statusPort() < 0 ? null
                : MuStatusEndpoint.start(config.statusBind(), config.statusPort(), this::status);
    }

    /**
     * Opens the database, starts the server and the status endpoint; returns once both listen.
     *
     * @throws RuntimeException when a port cannot be bound or the database cannot be opened;
     *                          nothing is left running then
     */
    public static MuXmppService start(MuConfig config) {
        ServerConfig sc = config.server();
        JdbcStorageProvider storage = new JdbcStorageProvider(sc.openDatabase());
        XmppServer server = null;
        try {
            MuLoginLedger ledger = new MuLoginLedger(sc.dataDir());
            MuAccountSource accounts;
            if (config.muUrl() != null) {
                MuHttpLogin http = new MuHttpLogin(config.muUrl(), ledger);
                log.info("xmpp mu: passwords are checked by Mu at {}", http.loginUrl());
                accounts = http;
            } else {
                MuDataFiles files = new MuDataFiles(config.muDataDir());
                log.info("xmpp mu: accounts and tokens from {}", config.muDataDir());
                accounts = files;
            }
            MuCredentialStore credentials = new MuCredentialStore(accounts, storage.accounts(), ledger);
            XmppServer.Builder b = XmppServer.builder()
                    .domain(sc.domain())
                    .bindAddress(sc.bindAddress())
                    .c2sPort(sc.port())
                    .directTlsPort(sc.tlsPort())
                    .s2sPort(config.s2sPort())
                    .dataDirectory(sc.dataDir())
                    .credentials(credentials)
                    .users(user -> credentials.exists(user.local()))
                    .storage(storage)
                    .allowPlaintextAuth(sc.allowPlaintextAuth())
                    // Mu personal access tokens verify only with PLAIN, SCRAM keys or not: the
                    // authentication backend requires it (XEP-0474 §"Business Rules").
                    .plainWithScram(true)
                    .plainCache(sc.plainCache())
                    .limits(sc.limits())
                    .streamManagement(sc.streamManagement());
            if (sc.certFile() != null) {
                b.certificate(sc.certFile(), sc.keyFile());
            }
            server = b.build().start();
            return new MuXmppService(config, credentials, server);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            } else {
                storage.close();
            }
            throw e;
        }
    }

    /** This service's entry for Mu's status page, with the live session count. */
    public MuStatus status() {
        boolean up = running;
        int port = up ? server.c2sPort() : config.server().port();
        return new MuStatus(MuStatus.XMPP_SERVICE, up,
                config.server().domain() + ":" + port + " (" + (up ? server.sessionCount() : 0) + " sessions)");
    }

    /** The XMPP server. */
    public XmppServer server() {
        return server;
    }

    /** The credential store over Mu's accounts. */
    public MuCredentialStore credentials() {
        return credentials;
    }

    /** The status endpoint's bound port, or -1 when it is off. */
    public int statusPort() {
        return statusEndpoint == null ? -1 : statusEndpoint.port();
    }

    /** Stops the status endpoint and the server, and closes the database. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        if (statusEndpoint != null) {
            statusEndpoint.close();
        }
        server.close();
        log.info("xmpp mu: stopped");
    }
}
