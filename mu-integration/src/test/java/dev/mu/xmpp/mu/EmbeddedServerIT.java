package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.XmppModule;
import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import dev.mu.xmpp.server.XmppServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedding the server as an application would, from outside its module and through the public
 * builder only: an in-memory credential store, a custom module, a Smack client.
 */
class EmbeddedServerIT {

    static final String ECHO_NS = "urn:example:mu:echo";

    @TempDir
    Path dataDir;

    XmppServer server;

    /** Answers {@code <echo xmlns='urn:example:mu:echo'>text</echo>} with the text and who asked. */
    static final class EchoModule implements XmppModule {
        @Override
        public void start(ModuleContext ctx) {
            ctx.addFeature(ECHO_NS);
            ctx.onIq(IqType.GET, new QName(ECHO_NS, "echo"), (session, iq) -> session.send(iq.resultReply(
                    XmlElement.builder(ECHO_NS, "echo")
                            .attribute("asker", session.address().toString())
                            .text(iq.payload().text())
                            .build())));
        }
    }

    /** The request: {@code <echo xmlns='urn:example:mu:echo'>text</echo>}. */
    static final class EchoIq extends IQ {
        private final String text;

        EchoIq(String text) {
            super("echo", ECHO_NS);
            this.text = text;
            setType(Type.get);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.rightAngleBracket();
            xml.escape(text);
            return xml;
        }
    }

    @BeforeEach
    void start() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "wonderland");
        store.addUser("bob", "builder");
        server = XmppServer.builder()
                .domain("mu.example")
                .bindAddress("127.0.0.1")
                .c2sPort(0)
                .directTlsPort(-1)
                .s2sPort(-1)
                .dataDirectory(dataDir)
                .credentials(store)
                .module(new EchoModule())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aCustomModuleAnswersASmackClient() throws Exception {
        assertEquals(-1, server.directTlsPort());
        XMPPTCPConnection alice = login("alice", "wonderland");
        try {
            assertTrue(ServiceDiscoveryManager.getInstanceFor(alice).serverSupportsFeature(ECHO_NS));

            EchoIq request = new EchoIq("hello <mu>");
            request.setTo(alice.getXMPPServiceDomain());
            IQ reply = alice.sendIqRequestAndWaitForResponse(request);

            String xml = ((UnparsedIQ) reply).getContent().toString();
            assertTrue(xml.contains("hello &lt;mu&gt;"), xml);
            assertTrue(xml.contains("asker='alice@mu.example/embedded'") || xml.contains("asker=\"alice@mu.example/embedded\""), xml);

            // RFC 6120 §8.4: a payload no module handles is service-unavailable
            IQ unknown = emptyQuery("urn:example:mu:nobody-handles-this");
            unknown.setTo(alice.getXMPPServiceDomain());
            XMPPErrorException error = assertThrows(XMPPErrorException.class,
                    () -> alice.sendIqRequestAndWaitForResponse(unknown));
            assertEquals(StanzaError.Condition.service_unavailable, error.getStanzaError().getCondition());
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void sessionCountTracksLoginsAndLogouts() throws Exception {
        assertEquals(0, server.sessionCount());
        XMPPTCPConnection alice = login("alice", "wonderland");
        assertEquals(1, server.sessionCount());
        XMPPTCPConnection bob = login("bob", "builder");
        assertEquals(2, server.sessionCount());

        alice.disconnect();
        awaitSessions(1, server::sessionCount);
        bob.disconnect();
        awaitSessions(0, server::sessionCount);
    }

    private static IQ emptyQuery(String namespace) {
        IQ iq = new IQ("query", namespace) {
            @Override
            protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                xml.setEmptyElement();
                return xml;
            }
        };
        iq.setType(IQ.Type.get);
        return iq;
    }

    private XMPPTCPConnection login(String user, String password) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {TRUST_SELF_SIGNED}, new SecureRandom());
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("mu.example")
                .setHost("127.0.0.1")
                .setPort(server.c2sPort())
                .setUsernameAndPassword(user, password)
                .setResource("embedded")
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(TRUST_SELF_SIGNED)
                .setHostnameVerifier((host, session) -> true)
                .build());
        c.setReplyTimeout(5000);
        c.connect().login();
        return c;
    }

    /** The session goes away when the server sees the stream end, a moment after the client's close. */
    private static void awaitSessions(int expected, IntSupplier count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (count.getAsInt() != expected) {
            if (System.nanoTime() - deadline > 0) {
                fail("expected " + expected + " sessions, still " + count.getAsInt());
            }
            Thread.sleep(20);
        }
    }

    /** Trusts the server's generated self-signed certificate; tests only. */
    static final X509TrustManager TRUST_SELF_SIGNED = new X509TrustManager() {
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
}
