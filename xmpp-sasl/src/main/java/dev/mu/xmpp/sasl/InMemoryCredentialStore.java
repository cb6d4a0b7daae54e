package dev.mu.xmpp.sasl;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * A credential store in memory, for tests and small embedded servers.
 *
 * <p>Thread-safe. Usernames given to the mutators are prepared with UsernameCaseMapped; the
 * lookups expect prepared usernames, as the mechanisms pass them.
 */
public final class InMemoryCredentialStore implements CredentialStore {

    private record Account(Map<ScramHash, ScramCredentials> scram, boolean enabled) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemoryCredentialStore() {
    }

    /**
     * Adds or replaces an enabled user, storing SCRAM credentials for every {@link ScramHash} with
     * one random salt and {@value ScramCredentials#DEFAULT_ITERATIONS} iterations.
     *
     * @throws IllegalArgumentException if the username or password fails PRECIS enforcement
     */
    public void addUser(String username, String password) {
        String prepared = prepare(username);
        String preparedPassword = PrecisProfiles.OPAQUE_STRING.enforce(password);
        byte[] salt = SecureRandoms.bytes(ScramCredentials.DEFAULT_SALT_LENGTH);
        Map<ScramHash, ScramCredentials> scram = new EnumMap<>(ScramHash.class);
        for (ScramHash hash : ScramHash.values()) {
            scram.put(hash, ScramCredentials.fromPreparedPassword(hash, preparedPassword, salt,
                    ScramCredentials.DEFAULT_ITERATIONS));
        }
        accounts.put(prepared, new Account(Map.copyOf(scram), true));
    }

    /**
     * Sets one hash's credentials of a user, creating an enabled user if there is none; for
     * credentials imported from elsewhere.
     *
     * @throws IllegalArgumentException if the username fails PRECIS enforcement
     */
    public void setCredentials(String username, ScramHash hash, ScramCredentials credentials) {
        accounts.compute(prepare(username), (name, old) -> {
            Map<ScramHash, ScramCredentials> scram = new EnumMap<>(ScramHash.class);
            if (old != null) {
                scram.putAll(old.scram());
            }
            scram.put(hash, credentials);
            return new Account(Map.copyOf(scram), old == null || old.enabled());
        });
    }

    /** Removes a user; returns whether there was one. */
    public boolean removeUser(String username) {
        return accounts.remove(prepare(username)) != null;
    }

    /** Enables or disables a user; returns whether there is such a user. */
    public boolean setEnabled(String username, boolean enabled) {
        return accounts.computeIfPresent(prepare(username), (name, old) -> new Account(old.scram(), enabled)) != null;
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramHash hash) {
        Account account = accounts.get(username);
        return account == null ? Optional.empty() : Optional.ofNullable(account.scram().get(hash));
    }

    @Override
    public boolean isEnabled(String username) {
        Account account = accounts.get(username);
        return account == null || account.enabled();
    }

    private static String prepare(String username) {
        return PrecisProfiles.USERNAME_CASE_MAPPED.enforce(username);
    }
}
