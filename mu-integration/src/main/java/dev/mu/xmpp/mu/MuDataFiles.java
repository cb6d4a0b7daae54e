package dev.mu.xmpp.mu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mu's accounts and personal access tokens, read from its data directory; re-read when a file
 * changes, never written. Thread-safe.
 *
 * <p>{@code accounts.json} is a JSON object mapping each account id to
 * {@code {"id","name","secret","created","admin",...}}; an account with {@code "banned": true} or
 * {@code "disabled": true} exists but cannot log in. {@code tokens.json} holds
 * {@code {"id","name","token","account","created","last_used","expires_at","permissions","lookup"}}
 * entries, either as a JSON array or as an object keyed by token id: both are read. An
 * {@code expires_at} that is absent, {@code null} or Go's zero time means the token never expires.
 */
public final class MuDataFiles implements MuAccountSource {

    private static final Logger log = LoggerFactory.getLogger(MuDataFiles.class);

    /** Go's {@code time.Time{}} as JSON: a token whose expiry was never set. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private final WatchedJsonFile<Map<String, MuAccount>> accounts;
    private final WatchedJsonFile<Map<String, MuToken>> tokens;
    private final Clock clock;
    /** Checked for a user Mu does not have, so that the answer takes as long as for one it has. */
    private final String decoyHash;

    /** Reads the files in Mu's data directory ({@code ~/.mu/data}). */
    public MuDataFiles(Path muDataDir) {
        this(muDataDir, Clock.systemUTC());
    }

    /** Reads the files in Mu's data directory, telling token expiry by the given clock. */
    public MuDataFiles(Path muDataDir, Clock clock) {
        ObjectMapper json = new ObjectMapper();
        this.accounts = new WatchedJsonFile<>(muDataDir.resolve("accounts.json"), json, MuDataFiles::parseAccounts, Map.of());
        this.tokens = new WatchedJsonFile<>(muDataDir.resolve("tokens.json"), json, MuDataFiles::parseTokens, Map.of());
        this.clock = clock;
        SecureRandom random = new SecureRandom();
        this.decoyHash = Bcrypt.hash(Long.toHexString(random.nextLong()), Bcrypt.MU_COST, random);
    }

    /** The accounts by id, as the file holds them now. */
    public Map<String, MuAccount> accounts() {
        return accounts.get();
    }

    /** The account with the id, if Mu has it. */
    public Optional<MuAccount> account(String id) {
        return Optional.ofNullable(accounts.get().get(id));
    }

    /** The token whose {@code lookup} is the SHA-256 of the raw token, if any; its hash is not checked here. */
    public Optional<MuToken> tokenFor(String rawToken) {
        return Optional.ofNullable(tokens.get().get(sha256Hex(rawToken)));
    }

    /** The accounts file. */
    public Path accountsFile() {
        return accounts.file();
    }

    /**
     * Checks a token first (found by its SHA-256, so only one bcrypt hash is tried), then the
     * account password. A token counts only for the account it belongs to and until it expires.
     */
    @Override
    public Optional<Proof> login(String username, String password) {
        Optional<MuAccount> account = account(username);
        Optional<MuToken> token = tokenFor(password).filter(t -> t.account().equals(username));
        if (token.isPresent() && account.isPresent()) {
            MuToken t = token.get();
            if (!t.validAt(clock.instant())) {
                log.info("xmpp mu: token {} of {} expired at {}", t.id(), username, t.expiresAt());
                return Optional.empty();
            }
            if (Bcrypt.matches(t.hash(), password)) {
                return Optional.of(new Proof(true, null));
            }
        }
        if (account.isEmpty()) {
            Bcrypt.matches(decoyHash, password);
            return Optional.empty();
        }
        String secret = account.get().secret();
        return Bcrypt.matches(secret, password) ? Optional.of(new Proof(false, secret)) : Optional.empty();
    }

    @Override
    public boolean exists(String username) {
        return accounts.get().containsKey(username);
    }

    @Override
    public boolean enabled(String username) {
        return account(username).map(a -> !a.disabled()).orElse(false);
    }

    @Override
    public Optional<String> secret(String username) {
        return account(username).map(MuAccount::secret).filter(s -> !s.isEmpty());
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static Map<String, MuAccount> parseAccounts(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("accounts.json is not a JSON object of accounts by id");
        }
        Map<String, MuAccount> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode a = e.getValue();
            String id = a.path("id").asText(e.getKey());
            out.put(id, new MuAccount(id, a.path("name").asText(""), a.path("secret").asText(""),
                    a.path("admin").asBoolean(false),
                    a.path("banned").asBoolean(false) || a.path("disabled").asBoolean(false)));
        }
        return Map.copyOf(out);
    }

    private static Map<String, MuToken> parseTokens(JsonNode root) {
        if (!root.isArray() && !root.isObject()) {
            throw new IllegalArgumentException("tokens.json is neither a JSON array nor an object of tokens by id");
        }
        Map<String, MuToken> byLookup = new LinkedHashMap<>();
        for (JsonNode t : root) {
            String lookup = t.path("lookup").asText("").toLowerCase(Locale.ROOT);
            if (lookup.isEmpty()) {
                continue;
            }
            byLookup.put(lookup, new MuToken(t.path("id").asText(""), t.path("name").asText(""),
                    t.path("token").asText(""), t.path("account").asText(""), expiry(t.path("expires_at")), lookup));
        }
        return Map.copyOf(byLookup);
    }

    private static Instant expiry(JsonNode node) {
        if (node.isMissingNode() || node.isNull() || node.asText("").isEmpty()) {
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(node.asText()).toInstant();
            return at.equals(GO_ZERO_TIME) ? null : at;
        } catch (DateTimeParseException e) {
            // A token whose expiry cannot be read is treated as expired rather than as eternal.
            return Instant.EPOCH;
        }
    }
}
