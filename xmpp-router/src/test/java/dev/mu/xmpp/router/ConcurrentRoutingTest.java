package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router is called from the transports' threads: logins, traffic and logouts at once lose no session and throw nothing. */
class ConcurrentRoutingTest {

    @Test
    @Timeout(60)
    void concurrentSessionsComeAndGoCleanly() throws Exception {
        TestServer server = new TestServer("alice", "bob", "carol", "dave");
        server.friends("alice", "bob");
        server.friends("carol", "dave");
        String[] users = {"alice", "bob", "carol", "dave"};
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String user = users[t];
            String contact = users[t ^ 1];
            int n = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 150; i++) {
                        TestClient c = server.bound(user, "r" + n + "-" + (i % 3));
                        c.send("<presence><priority>" + (i % 5) + "</priority></presence>");
                        c.send("<message type='chat' to='" + contact + "@example.com'><body>" + i + "</body></message>");
                        c.send("<iq type='get' id='g" + i + "'><query xmlns='jabber:iq:roster'/></iq>");
                        c.send("<presence type='probe' to='" + contact + "@example.com'/>");
                        c.disconnect();
                        c.drain();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(50));
        }

        assertTrue(failures.isEmpty(), () -> "escaped: " + failures);
        assertEquals(0, server.router().sessionCount());
        for (String u : users) {
            assertTrue(server.router().resources(TestServer.bare(u)).isEmpty());
        }
    }
}
