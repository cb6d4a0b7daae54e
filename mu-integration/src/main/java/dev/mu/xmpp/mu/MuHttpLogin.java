package dev.mu.xmpp.mu;

import java.io.IOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks passwords with a Mu on another host: {@code POST {MU_URL}/login} with the form fields
 * {@code id} and {@code secret}; Mu answers {@code 302} with a {@code session} cookie when they are
 * right. Thread-safe.
 *
 * <p>Redirects are not followed (the 302 is the answer) and each request gives up after
 * {@value #TIMEOUT_SECONDS} seconds. An unreachable Mu is an exception, which the SASL layer turns
 * into {@code temporary-auth-failure} rather than a wrong password. Over HTTP the server cannot see
 * Mu's accounts or tokens: Mu decides, and an account exists for routing once it has logged in here.
 */
public final class MuHttpLogin implements MuAccountSource {

    private static final Logger log = LoggerFactory.getLogger(MuHttpLogin.class);

    /** How long one login request may take, connecting included. */
    public static final int TIMEOUT_SECONDS = 5;

    private final URI login;
    private final HttpClient http;
    private final MuLoginLedger ledger;

    /**
     * A client of Mu at the base URL.
     *
     * @param muUrl  Mu's base URL ({@code MU_URL}), e.g. {@code https://mu.example.com}
     * @param ledger where users who logged in are remembered, so that they exist for routing
     */
    public MuHttpLogin(URI muUrl, MuLoginLedger ledger) {
        String base = muUrl.toString();
        this.login = URI.create((base.endsWith("/") ? base : base + "/") + "login");
        this.ledger = ledger;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .build();
    }

    /**
     * Whether Mu accepts the id and secret.
     *
     * @throws IllegalStateException when Mu cannot be asked
     */
    public boolean accepts(String id, String secret) {
        String form = "id=" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                + "&secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(login)
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 302 && hasSession(response.headers().allValues("Set-Cookie"));
        } catch (IOException e) {
            log.warn("xmpp mu: cannot reach {}: {}", login, e.toString());
            throw new IllegalStateException("Mu at " + login + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Mu at " + login, e);
        }
    }

    private static boolean hasSession(List<String> setCookies) {
        for (String header : setCookies) {
            try {
                for (HttpCookie c : HttpCookie.parse(header)) {
                    if (c.getName().equals("session") && !c.getValue().isEmpty() && c.getMaxAge() != 0) {
                        return true;
                    }
                }
            } catch (IllegalArgumentException e) {
                // A malformed cookie is not a session.
            }
        }
        return false;
    }

    /** The URL passwords are posted to. */
    public URI loginUrl() {
        return login;
    }

    @Override
    public Optional<Proof> login(String username, String password) {
        if (!accepts(username, password)) {
            return Optional.empty();
        }
        ledger.remember(username);
        return Optional.of(new Proof(false, null));
    }

    @Override
    public boolean exists(String username) {
        return ledger.knows(username);
    }

    @Override
    public boolean enabled(String username) {
        // Mu itself refuses a banned account at /login.
        return true;
    }

    @Override
    public Optional<String> secret(String username) {
        return Optional.empty();
    }
}
