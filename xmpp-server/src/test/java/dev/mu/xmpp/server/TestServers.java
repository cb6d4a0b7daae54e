package dev.mu.xmpp.server;

import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import java.nio.file.Path;

/** Servers for integration tests: example.com on loopback, any free ports, alice and bob. */
final class TestServers {

    static final String DOMAIN = "example.com";
    static final String ALICE_PASSWORD = "wonderland";
    static final String BOB_PASSWORD = "builder";

    private TestServers() {
    }

    /** A builder for a server with the default settings (TLS required) and the two test accounts. */
    static XmppServer.Builder builder(Path dataDir) {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", ALICE_PASSWORD);
        store.addUser("bob", BOB_PASSWORD);
        return XmppServer.builder()
                .domain(DOMAIN)
                .bindAddress("127.0.0.1")
                .c2sPort(0)
                .directTlsPort(0)
                .s2sPort(0)
                .dataDirectory(dataDir)
                .credentials(store)
                .threads(2);
    }

    /** A started server with the default settings. */
    static XmppServer start(Path dataDir) {
        return builder(dataDir).build().start();
    }
}
