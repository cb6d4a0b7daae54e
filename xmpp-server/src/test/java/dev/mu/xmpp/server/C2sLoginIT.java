package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

class C2sLoginIT {

    @TempDir
    Path dataDir;

    XmppServer server;

    @BeforeEach
    void start() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "wonderland");
        store.addUser("bob", "builder");
        server = XmppServer.builder()
                .domain("example.com")
                .bindAddress("127.0.0.1")
                .c2sPort(0)
                .directTlsPort(0)
                .s2sPort(0)
                .dataDirectory(dataDir)
                .credentials(store)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aliceSendsBobReceives() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(server, "alice", "wonderland", "phone");
        XMPPTCPConnection bob = SmackClients.login(server, "bob", "builder", "laptop");
        // bob's initial presence travels on his own connection; wait until the server has it.
        SmackClients.available(bob, 0);
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        ChatManager.getInstanceFor(bob).addIncomingListener((from, message, chat) -> inbox.add(message));

        ChatManager.getInstanceFor(alice).chatWith(JidCreate.entityBareFrom("bob@example.com")).send("hello bob");

        Message received = inbox.poll(5, TimeUnit.SECONDS);
        assertEquals("hello bob", received.getBody());
        assertEquals("alice@example.com/phone", received.getFrom().toString());
        assertEquals(2, server.sessionCount());
        assertTrue(alice.isSecureConnection());
        alice.disconnect();
        bob.disconnect();
    }
}
