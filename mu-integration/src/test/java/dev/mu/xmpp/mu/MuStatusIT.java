package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mu's status page asks GET /status; the count follows clients as they come and go. */
class MuStatusIT {

    private static final String DOMAIN = "chat.example.com";

    @TempDir
    Path tmp;

    MuXmppService xmpp;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        MuFixtures mu = new MuFixtures(tmp.resolve("mu")).account("alice", "wonderland").account("bob_1", "builder");
        xmpp = MuXmppService.start(MuConfig.fromEnvironment(Map.of(
                "XMPP_DOMAIN", DOMAIN, "XMPP_BIND", "127.0.0.1", "XMPP_PORT", "0", "XMPP_TLS_PORT", "off", "XMPP_S2S_PORT", "0",
                "XMPP_STATUS_PORT", "0", "MU_DATA_DIR", mu.dir().toString(), "XMPP_DATA_DIR", tmp.resolve("xmpp").toString())));
    }

    @AfterEach
    void stop() {
        xmpp.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + xmpp.statusPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String expected(int sessions) {
        return "{\"healthy\":true,\"services\":[{\"name\":\"XMPP Server\",\"status\":true,\"details\":\""
                + DOMAIN + ":" + xmpp.server().c2sPort() + " (" + sessions + " sessions)\"}]}";
    }

    /** The body once it shows the count: a session ends on the server after the client has gone. */
    private String awaitBody(int sessions) throws Exception {
        String body = get("/status").body();
        for (int i = 0; i < 200 && !body.equals(expected(sessions)); i++) {
            Thread.sleep(50);
            body = get("/status").body();
        }
        return body;
    }

    @Test
    void showsTheLiveSessionCount() throws Exception {
        HttpResponse<String> empty = get("/status");
        assertEquals(200, empty.statusCode());
        assertEquals("application/json", empty.headers().firstValue("Content-Type").orElse(""));
        assertEquals(expected(0), empty.body());

        XMPPTCPConnection alice = MuSmack.login(DOMAIN, xmpp.server().c2sPort(), "alice", "wonderland", "PLAIN");
        assertEquals(expected(1), awaitBody(1));
        XMPPTCPConnection bob = MuSmack.login(DOMAIN, xmpp.server().c2sPort(), "bob_1", "builder", "PLAIN");
        assertEquals(expected(2), awaitBody(2));
        assertEquals(xmpp.status().toJson(), new MuStatus("XMPP Server", true,
                DOMAIN + ":" + xmpp.server().c2sPort() + " (2 sessions)").toJson());

        alice.disconnect();
        assertEquals(expected(1), awaitBody(1));
        bob.disconnect();
        assertEquals(expected(0), awaitBody(0));
    }

    @Test
    void answersOnlyGetStatus() throws Exception {
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/statusx").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + xmpp.statusPort() + "/status"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void stopsWithTheServer() {
        int port = xmpp.statusPort();
        xmpp.close();
        assertEquals(false, xmpp.status().status());
        IOException refused = assertThrows(IOException.class, () -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(ConnectException.class, refused.getClass());
    }
}
