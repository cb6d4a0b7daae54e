package dev.mu.xmpp.mu;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Smack connections over STARTTLS to a test server on loopback with its self-signed certificate. */
final class MuSmack {

    private MuSmack() {
    }

    /** Trusts the test server's self-signed certificate; tests only. */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
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

    /**
     * A connected and logged-in connection that may use only the given SASL mechanism.
     *
     * @throws Exception what Smack throws when the login fails, e.g. {@code SASLErrorException}
     */
    static XMPPTCPConnection login(String domain, int port, String user, String password, String mechanism) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(domain)
                .setHost("127.0.0.1")
                .setPort(port)
                .setUsernameAndPassword(user, password)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(TRUST_ALL)
                .setHostnameVerifier((host, session) -> true)
                .setCompressionEnabled(false)
                .addEnabledSaslMechanism(mechanism)
                .setResource("test")
                .build());
        c.setReplyTimeout(10_000);
        try {
            c.connect().login();
            return c;
        } catch (Exception e) {
            c.disconnect();
            throw e;
        }
    }
}
