package dev.mu.xmpp.mu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Mu's data directory as Mu writes it: {@code accounts.json} and {@code tokens.json} with real
 * bcrypt hashes of cost 10 in Go's {@code $2a$} form. Each write replaces the file the way Mu's
 * atomic save does (write a temporary file, rename over). Not thread-safe.
 */
final class MuFixtures {

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final ObjectNode accounts = json.createObjectNode();
    private final ArrayNode tokens = json.createArrayNode();

    MuFixtures(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    /** Adds or replaces an account with a bcrypt hash of the password and writes the file. */
    MuFixtures account(String id, String password) throws IOException {
        ObjectNode a = accounts.putObject(id);
        a.put("id", id);
        a.put("name", id.substring(0, 1).toUpperCase() + id.substring(1));
        a.put("secret", Bcrypt.hash(password, Bcrypt.MU_COST, random));
        a.put("created", "2025-03-01T10:00:00.123456789Z");
        a.put("admin", false);
        return writeAccounts();
    }

    /** Sets a boolean field of an account ({@code banned}, {@code disabled}) and writes the file. */
    MuFixtures flag(String id, String field, boolean value) throws IOException {
        ((ObjectNode) accounts.get(id)).put(field, value);
        return writeAccounts();
    }

    /** Removes an account and writes the file. */
    MuFixtures remove(String id) throws IOException {
        accounts.remove(id);
        return writeAccounts();
    }

    /** Adds a personal access token for an account, expiring at the instant (or never for null), as an array entry. */
    MuFixtures token(String id, String account, String rawToken, Instant expiresAt) throws IOException {
        tokens.add(tokenNode(id, account, rawToken, expiresAt));
        write("tokens.json", tokens);
        return this;
    }

    /** Writes {@code tokens.json} as an object keyed by token id instead of an array. */
    MuFixtures tokensAsObject() throws IOException {
        ObjectNode byId = json.createObjectNode();
        tokens.forEach(t -> byId.set(t.get("id").asText(), t));
        write("tokens.json", byId);
        return this;
    }

    ObjectNode tokenNode(String id, String account, String rawToken, Instant expiresAt) {
        ObjectNode t = json.createObjectNode();
        t.put("id", id);
        t.put("name", "phone");
        t.put("token", Bcrypt.hash(rawToken, Bcrypt.MU_COST, random));
        t.put("account", account);
        t.put("created", "2025-03-01T10:00:00Z");
        t.put("last_used", "0001-01-01T00:00:00Z");
        if (expiresAt == null) {
            t.put("expires_at", "0001-01-01T00:00:00Z");
        } else {
            t.put("expires_at", expiresAt.toString());
        }
        t.putArray("permissions").add("xmpp");
        t.put("lookup", MuDataFiles.sha256Hex(rawToken));
        return t;
    }

    private MuFixtures writeAccounts() throws IOException {
        write("accounts.json", accounts);
        return this;
    }

    private void write(String name, Object node) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), node);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
