package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.jid.EntityBareJid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.SocketFactory;
import org.jivesoftware.smack.filter.MessageWithBodiesFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Abuse from one address (127.0.0.2) while alice and bob chat from another (127.0.0.1): a slowloris
 * client, a connection flood, a password-guessing loop and a client that never reads. In each, the
 * attacker is cut off by its limit and bob keeps receiving every message alice sends. Bounded in
 * count and time; nothing asserts how fast anything is.
 */
class AbuseIT {

    static final String ATTACKER = "127.0.0.2";
    static final Duration WAIT = Duration.ofSeconds(15);
    static final org.jxmpp.jid.EntityBareJid BOB = JidCreate.entityBareFromOrThrowUnchecked("bob@example.com");

    @TempDir
    Path dataDir;

    XmppServer server;
    XMPPTCPConnection alice;
    XMPPTCPConnection bob;
    final List<String> bobsInbox = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> attackers = new ArrayList<>();
    int sent;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.builder(dataDir)
                .plainWithScram(true)
                .limits(C2sLimits.builder()
                        .maxConnectionsPerAddress(10)
                        .negotiationTimeout(Duration.ofSeconds(2))
                        .authFailureDelay(Duration.ofMillis(20))
                        .authFailuresPerAddress(5)
                        .authFailuresPerAccount(1000)
                        .maxPendingOutboundBytes(64 * 1024)
                        .inboundBytesPerSecond(1024 * 1024)
                        .build())
                .build().start();
        alice = SmackClients.login(server, "alice", TestServers.ALICE_PASSWORD, "phone");
        bob = SmackClients.login(server, "bob", TestServers.BOB_PASSWORD, "desk");
        bob.addSyncStanzaListener(s -> bobsInbox.add(((Message) s).getBody()), MessageWithBodiesFilter.INSTANCE);
        SmackClients.available(bob, 0);
        chat("before");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable a : attackers) {
            a.close();
        }
        SmackClients.disconnectAll(List.of(alice, bob));
        server.close();
    }

    @Test
    void slowlorisClientsAreCutOffAtTheNegotiationTimeout() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket s = attackerSocket();
            sockets.add(s);
        }
        byte[] header = "<?xml version='1.0'?><stream:stream to='example.com' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><iq type='get'>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Thread trickle = new Thread(() -> {
            for (int i = 0; i < header.length && running.get(); i++) {
                for (Socket s : sockets) {
                    try {
                        s.getOutputStream().write(header[i % header.length]);
                    } catch (IOException closed) {
                        // the server hung up, as it should
                    }
                }
                sleep(200);
            }
        }, "slowloris");
        attackers.add(() -> {
            running.set(false);
            trickle.join(5000);
        });
        trickle.start();

        chat("during the slowloris");
        for (Socket s : sockets) {
            Await.until("the server to close a slowloris connection", WAIT, () -> closed(s));
        }
        chat("after the slowloris");
    }

    @Test
    void aConnectionFloodFromOneAddressIsCappedAtItsLimit() throws Exception {
        List<RawXmppSocket> flood = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            RawXmppSocket c = RawXmppSocket.plain(server.c2sPort(), ATTACKER);
            attackers.add(c);
            flood.add(c);
        }
        chat("during the flood");
        // Admitted connections hold their slot until the negotiation timeout, so whatever order the
        // server accepts them in, at most ten are admitted and the others are refused.
        int refused = 0;
        int admitted = 0;
        for (RawXmppSocket c : flood) {
            Await.until("the server to close every flooding connection", WAIT, c::closedByServer);
            if (c.received().contains("<policy-violation")) {
                refused++;
            } else if (c.received().contains("<connection-timeout")) {
                admitted++;
            }
        }
        assertEquals(30, refused + admitted);
        assertTrue(admitted <= 10, admitted + " connections admitted");
        chat("after the flood");
    }

    @Test
    void passwordGuessingIsSlowedThenLockedOutWhileOthersLogIn() throws Exception {
        int rejectedAsLocked = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            XMPPTCPConnection guess = SmackClients.connection(SmackClients.config(server, "alice", "guess" + attempt)
                    .setSocketFactory(new AttackerSocketFactory()));
            try {
                guess.connect().login();
            } catch (SASLErrorException e) {
                if (e.getSASLFailure().getSASLErrorString().equals("temporary-auth-failure")) {
                    rejectedAsLocked++;
                }
            } finally {
                guess.disconnect();
            }
            chat("during guess " + attempt);
        }
        assertTrue(server.failedAuthentications() >= 5, "failures are counted: " + server.failedAuthentications());
        assertTrue(rejectedAsLocked >= 3, "the address was locked out after 5 failures: " + rejectedAsLocked);
        XMPPTCPConnection honest = SmackClients.login(server, "alice", TestServers.ALICE_PASSWORD, "laptop");
        assertTrue(honest.isAuthenticated(), "the account itself is not locked for other addresses");
        honest.disconnect();
        chat("after the guessing");
    }

    @Test
    void aClientThatNeverReadsIsDisconnected() throws Exception {
        RawXmppSocket lazy = RawXmppSocket.directTls(server.directTlsPort(), ATTACKER);
        attackers.add(lazy);
        lazy.openStream("example.com").readUntil("</stream:features>");
        lazy.authPlain("bob", TestServers.BOB_PASSWORD).readUntil("<success[^>]*(/>|</success>)");
        lazy.openStream("example.com").readUntil("</stream:features>");
        lazy.send("<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>lazy</resource></bind></iq>")
                .readUntil("</iq>");
        EntityBareJid bobJid = EntityBareJid.of("bob", TestServers.DOMAIN);
        Await.until("the lazy session", WAIT, () -> server.router().sessionCount(bobJid) == 2);

        // From now on it only writes: disco queries whose answers pile up on the server.
        String query = "<iq type='get' id='q' to='example.com'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>";
        try {
            for (int i = 0; i < 20_000 && server.router().sessionCount(bobJid) == 2; i++) {
                lazy.send(query);
            }
        } catch (IOException e) {
            // the server closed the connection while the client was still writing
        }
        Await.until("the server to drop the client that does not read", WAIT,
                () -> server.router().sessionCount(bobJid) == 1);
        chat("after the lazy reader");
    }

    /** Alice sends a message to bob, and bob receives it. */
    private void chat(String text) throws Exception {
        String body = text + " #" + (++sent);
        alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(BOB).ofType(Message.Type.chat).setBody(body).build());
        Await.until("bob to receive '" + body + "'", WAIT, () -> bobsInbox.contains(body));
    }

    private Socket attackerSocket() throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(ATTACKER, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.c2sPort()), 5000);
        s.setSoTimeout(100);
        attackers.add(s);
        return s;
    }

    private static boolean closed(Socket s) {
        try {
            byte[] buf = new byte[4096];
            while (true) {
                if (s.getInputStream().read(buf) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sockets from the attacker's address, for Smack. */
    private static final class AttackerSocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(ATTACKER, 0));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(java.net.InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress, int localPort)
                throws IOException {
            return createSocket(address, port);
        }
    }
}
