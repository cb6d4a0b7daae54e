package dev.mu.xmpp.server;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Smack connections to a test server on loopback that trust its self-signed certificate. */
final class SmackClients {

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
        return XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain().toString())
                .setHost("127.0.0.1")
                .setPort(server.c2sPort())
                .setUsernameAndPassword(user, password)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(TRUST_ALL)
                .setHostnameVerifier((host, session) -> true)
                .setCompressionEnabled(false)
                .setSendPresence(true);
    }

    /** A connected and logged-in STARTTLS connection with the given resource. */
    static XMPPTCPConnection login(XmppServer server, String user, String password, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(config(server, user, password)
                .setResource(resource).build());
        c.setReplyTimeout(5000);
        c.connect().login();
        return c;
    }
}
