package dev.mu.xmpp.server;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Smack connections to a test server on loopback that trust its self-signed certificate. */
final class SmackClients {

    /** How long a test waits for any one reply, in milliseconds. */
    static final long REPLY_TIMEOUT_MS = 5000;

    private SmackClients() {
    }

    /** A trust manager for the test server's self-signed certificate; tests only. */
    static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** A configuration builder for a STARTTLS connection to the server. */
    static XMPPTCPConnectionConfiguration.Builder config(XmppServer server, String user, String password) throws Exception {
        return config(server.domain().toString(), server.c2sPort(), user, password);
    }

    /** A configuration builder for a STARTTLS connection to a server on a loopback port. */
    static XMPPTCPConnectionConfiguration.Builder config(String domain, int port, String user, String password) throws Exception {
        return XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(domain)
                .setHost("127.0.0.1")
                .setPort(port)
                .setUsernameAndPassword(user, password)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(TRUST_ALL)
                .setHostnameVerifier((host, session) -> true)
                .setCompressionEnabled(false)
                .setSendPresence(true);
    }

    /**
     * A configuration builder for XEP-0368 direct TLS: Smack 4.4 has no such option, so the socket
     * factory makes TLS sockets and Smack's own STARTTLS is off (the port offers none).
     */
    static XMPPTCPConnectionConfiguration.Builder directTlsConfig(XmppServer server, String user, String password)
            throws Exception {
        return config(server, user, password)
                .setPort(server.directTlsPort())
                .setSecurityMode(SecurityMode.disabled)
                .setSocketFactory(trustAllSocketFactory());
    }

    /** TLS sockets that trust any certificate; tests only. */
    static SSLSocketFactory trustAllSocketFactory() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
        return ctx.getSocketFactory();
    }

    /** A connection with the test reply timeout, not yet connected. */
    static XMPPTCPConnection connection(XMPPTCPConnectionConfiguration.Builder config) {
        XMPPTCPConnection c = new XMPPTCPConnection(config.build());
        c.setReplyTimeout(REPLY_TIMEOUT_MS);
        return c;
    }

    /** A connected and logged-in STARTTLS connection with the given resource. */
    static XMPPTCPConnection login(XmppServer server, String user, String password, String resource) throws Exception {
        XMPPTCPConnection c = connection(config(server, user, password).setResource(resource));
        c.connect().login();
        return c;
    }

    /**
     * Sends available presence with the priority and waits until the server reflects it back to the
     * same resource (RFC 6121 §4.2.2), so that the router has the resource as available before the
     * test goes on: stanzas from other connections race with this one otherwise.
     */
    static void available(XMPPTCPConnection c, int priority) throws Exception {
        try (StanzaCollector echo = c.createStanzaCollector(new AndFilter(StanzaTypeFilter.PRESENCE,
                FromMatchesFilter.createFull(c.getUser()), PresenceTypeFilter.AVAILABLE))) {
            c.sendStanza(c.getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.available).setPriority(priority).build());
            if (echo.nextResult(REPLY_TIMEOUT_MS) == null) {
                throw new AssertionError("the server did not reflect the presence of " + c.getUser());
            }
        }
    }

    /** Disconnects every connection that is still connected; for {@code @AfterEach}. */
    static void disconnectAll(Iterable<? extends XMPPTCPConnection> connections) {
        for (XMPPTCPConnection c : connections) {
            if (c != null && c.isConnected()) {
                c.disconnect();
            }
        }
    }
}
