package dev.mu.xmpp.mu;

import dev.mu.xmpp.sasl.CredentialStore;
import dev.mu.xmpp.sasl.ScramCredentials;
import dev.mu.xmpp.sasl.ScramHash;
import dev.mu.xmpp.server.storage.JdbcCredentialStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mu accounts as XMPP credentials: PLAIN checks the Mu password (bcrypt) or a personal access
 * token, and SCRAM works once the server has keys derived from the current Mu password.
 * Thread-safe.
 *
 * <p>Mu stores bcrypt hashes, from which no SCRAM key can be computed. So at the first successful
 * PLAIN login with the account password (not with a token) the server derives SCRAM keys for every
 * hash with a fresh salt and {@value ScramCredentials#DEFAULT_ITERATIONS} iterations, keeps them in
 * its database ({@link JdbcCredentialStore#setPassword}), and records in the {@link MuLoginLedger}
 * which Mu secret they came from. {@link #supportsScram} is true only while that secret is still
 * the one in Mu, so the server offers SCRAM to a stream naming the user only when SCRAM can
 * succeed with the right password: a client that prefers SCRAM never fails, a changed password in
 * Mu sends the user back to PLAIN once, and tokens keep working through PLAIN. The price: once a
 * user has keys, a client that picks SCRAM must be given the account password, not a token.
 */
public final class MuCredentialStore implements CredentialStore {

    private static final Logger log = LoggerFactory.getLogger(MuCredentialStore.class);

    private final MuAccountSource mu;
    private final JdbcCredentialStore keys;
    private final MuLoginLedger ledger;

    /**
     * A store over Mu's accounts.
     *
     * @param mu     where the accounts are
     * @param keys   where derived SCRAM keys are kept: the server database's accounts
     * @param ledger which Mu secret each user's keys came from
     */
    public MuCredentialStore(MuAccountSource mu, JdbcCredentialStore keys, MuLoginLedger ledger) {
        this.mu = mu;
        this.keys = keys;
        this.ledger = ledger;
    }

    /** The SCRAM keys derived from the user's current Mu password, or empty when there are none. */
    @Override
    public Optional<ScramCredentials> scram(String username, ScramHash hash) {
        return current(username) ? keys.scram(username, hash) : Optional.empty();
    }

    @Override
    public boolean supportsScram(String username) {
        return username != null && current(username) && keys.scram(username, ScramHash.SHA_256).isPresent();
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        Optional<MuAccountSource.Proof> proof = mu.login(username, password);
        if (proof.isEmpty()) {
            return false;
        }
        String secret = proof.get().secret();
        if (secret != null) {
            String fingerprint = MuLoginLedger.fingerprintOf(secret);
            if (!ledger.fingerprint(username).map(fingerprint::equals).orElse(false)) {
                // Only the account password makes keys: a token as a SCRAM password would outlive
                // its expiry, and keys from it would refuse the real password.
                keys.setPassword(username, password);
                ledger.record(username, fingerprint);
                log.info("xmpp mu: derived SCRAM keys for {}", username);
            }
        }
        return true;
    }

    @Override
    public boolean isEnabled(String username) {
        return mu.exists(username) && mu.enabled(username);
    }

    /** Whether Mu has the account; a banned account exists but cannot log in. */
    public boolean exists(String username) {
        return mu.exists(username);
    }

    private boolean current(String username) {
        Optional<String> secret = mu.secret(username);
        return secret.isPresent() && mu.enabled(username)
                && ledger.fingerprint(username).map(MuLoginLedger.fingerprintOf(secret.get())::equals).orElse(false);
    }
}
