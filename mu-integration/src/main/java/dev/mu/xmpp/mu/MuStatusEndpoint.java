package dev.mu.xmpp.mu;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /status} over HTTP, answering the JSON of Mu's status page with this server's entry:
 * {@code {"healthy":true,"services":[{"name":"XMPP Server","status":true,"details":"chat.example.com:5222 (3 sessions)"}]}}.
 * Other paths are 404, other methods 405. Thread-safe.
 */
public final class MuStatusEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MuStatusEndpoint.class);

    /** The path served. */
    public static final String PATH = "/status";

    private final HttpServer http;

    private MuStatusEndpoint(HttpServer http) {
        this.http = http;
    }

    /**
     * Starts serving.
     *
     * @param bind   the address to listen on
     * @param port   the port, 0 for any free one
     * @param status asked at each request for the current entry
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static MuStatusEndpoint start(String bind, int port, Supplier<MuStatus> status) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(bind, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + PATH + " on " + bind + ":" + port + " (XMPP_STATUS_PORT): " + e.getMessage(), e);
        }
        http.createContext("/", exchange -> handle(exchange, status));
        http.start();
        MuStatusEndpoint endpoint = new MuStatusEndpoint(http);
        log.info("xmpp status on http://{}:{}{}", bind, endpoint.port(), PATH);
        return endpoint;
    }

    private static void handle(HttpExchange exchange, Supplier<MuStatus> status) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals(PATH) && !path.equals(PATH + "/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = MuStatus.document(List.of(status.get())).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The bound port. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        http.stop(0);
    }
}
