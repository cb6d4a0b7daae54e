package dev.mu.xmpp.server;

import dev.mu.xmpp.sasl.PlainMechanism;
import dev.mu.xmpp.sasl.SaslMechanisms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.ping.PingManager;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Records what Smack 4.4 sends in a real session (login with PLAIN over plain TCP on loopback,
 * XEP-0198, roster, presence, disco, ping, messages, logout) through a loopback proxy, as the seed
 * of {@link C2sPipelineFuzzTest}'s mutations. Run by hand to re-record:
 * {@code java ... dev.mu.xmpp.server.ClientStreamRecorder xmpp-server/src/test/resources/dev/mu/xmpp/server/smack-session.xml}.
 */
final class ClientStreamRecorder {

    private ClientStreamRecorder() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path dataDir = Files.createTempDirectory("recorder");
        try (XmppServer server = TestServers.builder(dataDir)
                .allowPlaintextAuth(true)
                .saslMechanisms(new SaslMechanisms(List.of(new PlainMechanism(true))))
                .build().start();
             ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream recorded = new ByteArrayOutputStream();
            Thread relay = new Thread(() -> relay(proxy, server.c2sPort(), recorded), "recorder");
            relay.start();
            XMPPTCPConnection alice = SmackClients.connection(SmackClients.config(TestServers.DOMAIN, proxy.getLocalPort(),
                    "alice", TestServers.ALICE_PASSWORD).setSecurityMode(SecurityMode.disabled).setResource("fuzz"));
            alice.setUseStreamManagement(true);
            alice.connect().login();
            Roster.getInstanceFor(alice).reloadAndWait();
            ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(JidCreate.domainBareFrom(TestServers.DOMAIN));
            PingManager.getInstanceFor(alice).pingMyServer();
            for (int i = 0; i < 3; i++) {
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                        .to(JidCreate.entityBareFrom("bob@" + TestServers.DOMAIN)).ofType(Message.Type.chat)
                        .setBody("hello & <welcome> " + i).build());
            }
            alice.requestSmAcknowledgement();
            alice.disconnect();
            relay.join(10_000);
            synchronized (recorded) {
                Files.write(out, recorded.toByteArray());
            }
        }
    }

    private static void relay(ServerSocket proxy, int serverPort, ByteArrayOutputStream recorded) {
        try (Socket client = proxy.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
            Thread back = new Thread(() -> copy(server, client, null), "recorder-back");
            back.start();
            copy(client, server, recorded);
            back.join(10_000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Socket from, Socket to, ByteArrayOutputStream record) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                if (record != null) {
                    synchronized (record) {
                        record.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // The other side closed: the session is over.
        }
    }
}
