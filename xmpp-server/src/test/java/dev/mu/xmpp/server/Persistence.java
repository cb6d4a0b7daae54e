package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/** Smack helpers for the persistence tests: servers by port, inboxes that start before login, acknowledgements. */
final class Persistence {

    static final String DOMAIN = "example.com";

    private Persistence() {
    }

    static EntityBareJid jid(String user) {
        try {
            return JidCreate.entityBareFrom(user + "@" + DOMAIN);
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A STARTTLS connection configuration for a server on loopback at the given port. */
    static XMPPTCPConnectionConfiguration config(int port, String user, String password, String resource) throws Exception {
        return XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(DOMAIN)
                .setHost("127.0.0.1")
                .setPort(port)
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(SmackClients.TRUST_ALL)
                .setHostnameVerifier((host, session) -> true)
                .setCompressionEnabled(false)
                .setSendPresence(true)
                .build();
    }

    /** A logged-in connection whose message inbox was open before login, so it holds what login brought. */
    record Client(XMPPTCPConnection connection, StanzaCollector inbox) implements AutoCloseable {

        /**
         * Every message received so far. A ping round trip first: the server answers it after every
         * stanza it wrote before, and Smack collects stanzas in the order it reads them.
         */
        List<Message> received() throws Exception {
            ping();
            List<Message> out = new ArrayList<>();
            Message m;
            while ((m = inbox.pollResult()) != null) {
                out.add(m);
            }
            return out;
        }

        /**
         * An XEP-0199 ping of the server, answered with a result: the server has processed every stanza
         * this client sent before it, in order (RFC 6120 §10.1).
         */
        void ping() throws Exception {
            Ping ping = new Ping(JidCreate.domainBareFrom(DOMAIN));
            IQ pong = connection.createStanzaCollectorAndSend(ping).nextResultOrThrow(10_000);
            assertEquals(IQ.Type.result, pong.getType());
        }

        void send(String to, String body) throws Exception {
            connection.sendStanza(connection.getStanzaFactory().buildMessageStanza()
                    .to(jid(to)).ofType(Message.Type.chat).setBody(body).build());
        }

        @Override
        public void close() {
            inbox.cancel();
            connection.disconnect();
        }
    }

    static Client login(int port, String user, String password, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(config(port, user, password, resource));
        c.setReplyTimeout(10_000);
        StanzaCollector inbox = c.createStanzaCollector(StanzaCollector.newConfiguration()
                .setStanzaFilter(StanzaTypeFilter.MESSAGE).setSize(10_000));
        c.connect().login();
        return new Client(c, inbox);
    }
}
