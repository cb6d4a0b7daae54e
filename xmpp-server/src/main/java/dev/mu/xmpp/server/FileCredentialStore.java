package dev.mu.xmpp.server;

import dev.mu.xmpp.sasl.CredentialStore;
import dev.mu.xmpp.sasl.ScramCredentials;
import dev.mu.xmpp.sasl.ScramHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Accounts kept in a text file in the data directory: per user, the salted SCRAM keys for every
 * hash, never a password.
 *
 * <p>The file is re-read when another process (the {@code adduser} command) changed it, and
 * replaced atomically on every write, so a crash never leaves it half-written. Thread-safe.
 */
public final class FileCredentialStore implements CredentialStore {

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final Path file;
    private final SecureRandom random = new SecureRandom();
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, Map<ScramHash, ScramCredentials>> users, FileTime modified) {
    }

    /** Opens (or prepares to create) the account file. */
    public FileCredentialStore(Path file) {
        this.file = file;
        this.snapshot = read();
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramHash hash) {
        Map<ScramHash, ScramCredentials> user = current().users().get(username);
        return user == null ? Optional.empty() : Optional.ofNullable(user.get(hash));
    }

    /** Whether the (unprepared) username has an account. */
    public boolean exists(String username) {
        return current().users().containsKey(prepare(username));
    }

    /** The prepared usernames, sorted. */
    public List<String> usernames() {
        return new ArrayList<>(current().users().keySet());
    }

    /**
     * Adds a user or replaces its password, deriving SCRAM keys for every hash with one fresh salt.
     *
     * @throws IllegalArgumentException if the username or password fails PRECIS enforcement
     */
    public synchronized void setPassword(String username, String password) {
        String user = prepare(username);
        byte[] salt = new byte[ScramCredentials.DEFAULT_SALT_LENGTH];
        random.nextBytes(salt);
        Map<ScramHash, ScramCredentials> keys = new EnumMap<>(ScramHash.class);
        for (ScramHash hash : ScramHash.values()) {
            keys.put(hash, ScramCredentials.derive(hash, password, salt, ScramCredentials.DEFAULT_ITERATIONS));
        }
        Map<String, Map<ScramHash, ScramCredentials>> users = new TreeMap<>(read().users());
        users.put(user, Map.copyOf(keys));
        write(users);
    }

    /** Removes a user; returns whether there was one. */
    public synchronized boolean remove(String username) {
        Map<String, Map<ScramHash, ScramCredentials>> users = new TreeMap<>(read().users());
        boolean removed = users.remove(prepare(username)) != null;
        if (removed) {
            write(users);
        }
        return removed;
    }

    /** Prepares a username with the PRECIS UsernameCaseMapped profile (RFC 8265 §3.3). */
    public static String prepare(String username) {
        return PrecisProfiles.USERNAME_CASE_MAPPED.enforce(username);
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (!modifiedTime().equals(s.modified())) {
            synchronized (this) {
                s = read();
                snapshot = s;
            }
        }
        return s;
    }

    private FileTime modifiedTime() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return FileTime.fromMillis(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Snapshot read() {
        FileTime modified = modifiedTime();
        Map<String, Map<ScramHash, ScramCredentials>> users = new TreeMap<>();
        if (!Files.exists(file)) {
            return new Snapshot(users, modified);
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split(" ");
                Map<ScramHash, ScramCredentials> keys = new EnumMap<>(ScramHash.class);
                for (int i = 1; i < fields.length; i++) {
                    int eq = fields[i].indexOf('=');
                    String[] parts = fields[i].substring(eq + 1).split(":");
                    keys.put(ScramHash.valueOf(fields[i].substring(0, eq)), new ScramCredentials(
                            B64D.decode(parts[0]), Integer.parseInt(parts[1]), B64D.decode(parts[2]), B64D.decode(parts[3])));
                }
                users.put(fields[0], Map.copyOf(keys));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read accounts from " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Corrupt account file " + file + ": " + e.getMessage(), e);
        }
        return new Snapshot(users, modified);
    }

    private void write(Map<String, Map<ScramHash, ScramCredentials>> users) {
        StringBuilder sb = new StringBuilder("# Mu XMPP accounts: SCRAM salt:iterations:StoredKey:ServerKey per hash (base64); no passwords.\n");
        users.forEach((user, keys) -> {
            sb.append(user);
            keys.forEach((hash, c) -> sb.append(' ').append(hash.name()).append('=')
                    .append(B64.encodeToString(c.salt())).append(':').append(c.iterations()).append(':')
                    .append(B64.encodeToString(c.storedKey())).append(':').append(B64.encodeToString(c.serverKey())));
            sb.append('\n');
        });
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write accounts to " + file, e);
        }
        snapshot = read();
    }
}
