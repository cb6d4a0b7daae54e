package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.server.storage.Database;
import dev.mu.xmpp.server.storage.JdbcStorageProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XEP-0160 offline messages with XEP-0203 stamps, over the embedded database, as Smack sees them. */
class OfflineDeliveryIT {

    @TempDir
    Path dataDir;

    XmppServer server;

    @BeforeEach
    void start() {
        JdbcStorageProvider storage = new JdbcStorageProvider(Database.embedded(dataDir));
        storage.accounts().setPassword("alice", "wonderland");
        storage.accounts().setPassword("bob", "builder");
        server = XmppServer.builder().domain(Persistence.DOMAIN).bindAddress("127.0.0.1").c2sPort(0).directTlsPort(-1).s2sPort(-1)
                .dataDirectory(dataDir).credentials(storage.accounts())
                .users(user -> storage.accounts().exists(user.local())).storage(storage)
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void messagesSentWhileBobWasAwayArriveOnceWithDelayStamps() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        try (Persistence.Client alice = Persistence.login(server.c2sPort(), "alice", "wonderland", "phone")) {
            for (int i = 0; i < 3; i++) {
                alice.send("bob", "while you were out " + i);
            }
            // No bounce: every message was kept (RFC 6121 §8.5.2.1.1, XEP-0160 §2).
            assertEquals(List.of(), alice.received());
        }
        Instant after = Instant.now().plusSeconds(1);

        try (Persistence.Client bob = Persistence.login(server.c2sPort(), "bob", "builder", "laptop")) {
            List<Message> got = bob.received();

            assertEquals(List.of("while you were out 0", "while you were out 1", "while you were out 2"),
                    got.stream().map(Message::getBody).toList());
            for (Message m : got) {
                assertEquals("alice@example.com/phone", m.getFrom().toString());
                // XEP-0203 §3 / XEP-0160 §2: stamped by the server with when it received the message.
                DelayInformation delay = DelayInformation.from(m);
                assertNotNull(delay, () -> m.toXML().toString());
                assertEquals(Persistence.DOMAIN, delay.getFrom());
                Instant stamp = delay.getStamp().toInstant();
                assertTrue(!stamp.isBefore(before) && !stamp.isAfter(after), stamp::toString);
            }
        }

        // Delivered once: removed from storage, so a second login brings nothing.
        try (Persistence.Client bob = Persistence.login(server.c2sPort(), "bob", "builder", "tablet")) {
            assertEquals(List.of(), bob.received());
        }
    }
}
