package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Mu on another host, played by a local HTTP server that answers {@code POST /login} as Mu does. */
class MuHttpLoginIT {

    private static final String DOMAIN = "chat.example.com";

    @TempDir
    Path tmp;

    HttpServer fakeMu;
    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger followedRedirects = new AtomicInteger();
    MuXmppService xmpp;

    @BeforeEach
    void start() throws Exception {
        fakeMu = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeMu.createContext("/login", this::login);
        fakeMu.createContext("/", exchange -> {
            followedRedirects.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        fakeMu.start();
        xmpp = MuXmppService.start(MuConfig.fromEnvironment(Map.of(
                "XMPP_DOMAIN", DOMAIN, "XMPP_BIND", "127.0.0.1", "XMPP_PORT", "0", "XMPP_TLS_PORT", "off", "XMPP_S2S_PORT", "0",
                "XMPP_STATUS_PORT", "off", "MU_URL", "http://127.0.0.1:" + fakeMu.getAddress().getPort(),
                "MU_DATA_DIR", tmp.resolve("no-mu-here").toString(), "XMPP_DATA_DIR", tmp.resolve("xmpp").toString())));
    }

    @AfterEach
    void stop() {
        xmpp.close();
        fakeMu.stop(0);
    }

    /** Mu's login: 302 to / with a session cookie when id and secret are right, else 302 back to the form. */
    private void login(HttpExchange exchange) throws IOException {
        try (exchange) {
            logins.incrementAndGet();
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            if ("alice".equals(form.get("id")) && "wonder land&=?".equals(form.get("secret"))) {
                exchange.getResponseHeaders().add("Set-Cookie", "session=5f2b8c; Path=/; HttpOnly; SameSite=Lax");
                exchange.getResponseHeaders().add("Location", "/home");
            } else {
                exchange.getResponseHeaders().add("Location", "/login?error=invalid");
            }
            exchange.sendResponseHeaders(302, -1);
        }
    }

    private XMPPTCPConnection smack(String user, String password) throws Exception {
        return MuSmack.login(DOMAIN, xmpp.server().c2sPort(), user, password, "PLAIN");
    }

    @Test
    void muDecidesOverHttp() throws Exception {
        XMPPTCPConnection alice = smack("alice", "wonder land&=?");
        assertTrue(alice.isAuthenticated());
        alice.disconnect();

        SASLErrorException wrong = assertThrows(SASLErrorException.class, () -> smack("alice", "wonderland"));
        assertEquals(SASLError.not_authorized, wrong.getSASLFailure().getSASLError());
        assertEquals(2, logins.get());
        assertEquals(0, followedRedirects.get(), "the 302 is the answer, not a redirect to follow");
        assertTrue(xmpp.credentials().exists("alice"), "an account exists once it has logged in");
        assertFalse(xmpp.credentials().exists("bob_1"));
        assertFalse(xmpp.credentials().supportsScram("alice"), "over HTTP the server never sees a changed password");
    }

    @Test
    void anUnreachableMuIsATemporaryFailure() {
        fakeMu.stop(0);
        SASLErrorException down = assertThrows(SASLErrorException.class, () -> smack("alice", "wonder land&=?"));
        assertEquals(SASLError.temporary_auth_failure, down.getSASLFailure().getSASLError());
    }
}
