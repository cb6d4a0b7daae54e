package dev.mu.xmpp.mu;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the server remembers of Mu users, in a properties file of its data directory: every user who
 * logged in, and for those it derived SCRAM keys for, the fingerprint (hex SHA-256) of the Mu
 * bcrypt hash the keys were derived under. Thread-safe.
 *
 * <p>Mu keeps bcrypt, so SCRAM keys can only be made from a password a client sent with PLAIN.
 * Keys are current while the fingerprint matches the {@code secret} in {@code accounts.json}; a
 * password changed in Mu changes the hash, and the keys stop counting until the next PLAIN login
 * with the new password. A fingerprint rather than the hash itself is kept, so no second copy of
 * a password hash lies around. The keys themselves are in the server's database.
 */
public final class MuLoginLedger {

    /** The file name in the server's data directory. */
    public static final String FILE_NAME = "mu-logins.properties";

    private final Path file;
    private final Properties entries = new Properties();

    /**
     * Opens the ledger in the directory, reading what it holds.
     *
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public MuLoginLedger(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                entries.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    /** Whether the user has logged in through this server. */
    public synchronized boolean knows(String username) {
        return entries.containsKey(username);
    }

    /** The fingerprint of the Mu secret the user's SCRAM keys were derived under, if any. */
    public synchronized Optional<String> fingerprint(String username) {
        return Optional.ofNullable(entries.getProperty(username)).filter(f -> !f.isEmpty());
    }

    /** Remembers that the user logged in, keeping any fingerprint. */
    public synchronized void remember(String username) {
        if (!entries.containsKey(username)) {
            entries.setProperty(username, "");
            save();
        }
    }

    /** Records that the user's SCRAM keys were derived under a Mu secret with this fingerprint. */
    public synchronized void record(String username, String fingerprint) {
        if (!fingerprint.equals(entries.getProperty(username))) {
            entries.setProperty(username, fingerprint);
            save();
        }
    }

    /** The fingerprint of a Mu bcrypt hash. */
    public static String fingerprintOf(String secret) {
        return MuDataFiles.sha256Hex(secret);
    }

    private void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                entries.store(w, "Mu users of this XMPP server: username=fingerprint of the Mu secret its SCRAM keys came from");
            }
            // A crash mid-write must not lose the users already remembered.
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
