package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlainMechanismTest {
    private final InMemoryCredentialStore store = new InMemoryCredentialStore();

    PlainMechanismTest() {
        store.addUser("juliet", "r0m30myr0m30");
    }

    private SaslStep plain(boolean tls, String message) {
        return plain(new PlainMechanism(), SaslContext.builder().credentials(store).domain("example.com").tlsSecured(tls).build(), message);
    }

    private static SaslStep plain(PlainMechanism mechanism, SaslContext context, String message) {
        return mechanism.newServer(context).evaluate(message.getBytes(StandardCharsets.UTF_8));
    }

    private static SaslFailure condition(SaslStep step) {
        return assertInstanceOf(SaslStep.Failure.class, step).condition();
    }

    @Test
    void succeeds() {
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class, plain(true, "\0Juliet\0r0m30myr0m30"));
        assertEquals("juliet", success.authenticatedUser());
        assertNull(success.authorizationId());
        assertEquals(0, success.additionalData().length);
    }

    @Test
    void wrongPasswordAndUnknownUserAreNotAuthorizedAlike() {
        assertEquals(plain(true, "\0juliet\0wrong"), plain(true, "\0romeo\0wrong"));
        assertEquals(SaslFailure.NOT_AUTHORIZED, condition(plain(true, "\0juliet\0wrong")));
    }

    @Test
    void authzid() {
        SaslStep.Success own = assertInstanceOf(SaslStep.Success.class, plain(true, "juliet@example.com\0juliet\0r0m30myr0m30"));
        assertEquals("juliet@example.com", own.authorizationId());
        assertEquals(SaslFailure.INVALID_AUTHZID, condition(plain(true, "romeo@example.com\0juliet\0r0m30myr0m30")));
        assertEquals(SaslFailure.INVALID_AUTHZID, condition(plain(true, "juliet@example.net\0juliet\0r0m30myr0m30")));
    }

    @Test
    void withoutTlsEncryptionIsRequiredUnlessCleartextIsAllowed() {
        assertEquals(SaslFailure.ENCRYPTION_REQUIRED, condition(plain(false, "\0juliet\0r0m30myr0m30")));
        SaslContext cleartext = SaslContext.builder().credentials(store).build();
        assertInstanceOf(SaslStep.Success.class, plain(new PlainMechanism(true), cleartext, "\0juliet\0r0m30myr0m30"));
        assertTrue(new PlainMechanism().requiresTls());
        assertFalse(new PlainMechanism(true).requiresTls());
    }

    @Test
    void malformed() {
        for (String message : new String[] {"juliet", "\0juliet", "\0\0pw", "\0juliet\0", "a\0b\0c\0d"}) {
            assertEquals(SaslFailure.MALFORMED_REQUEST, condition(plain(true, message)), message);
        }
        SaslServer server = new PlainMechanism().newServer(SaslContext.builder().tlsSecured(true).build());
        assertEquals(SaslFailure.MALFORMED_REQUEST, condition(server.evaluate(new byte[] {0, 'a', 0, (byte) 0xFF})));
    }

    @Test
    void disabledAccount() {
        store.setEnabled("juliet", false);
        assertEquals(SaslFailure.ACCOUNT_DISABLED, condition(plain(true, "\0juliet\0r0m30myr0m30")));
        assertEquals(SaslFailure.NOT_AUTHORIZED, condition(plain(true, "\0juliet\0wrong")));
    }

    @Test
    void emptyInitialResponseThenMessage() {
        SaslServer server = new PlainMechanism().newServer(SaslContext.builder().credentials(store).tlsSecured(true).build());
        assertEquals(new SaslStep.Challenge(new byte[0]), server.evaluate(new byte[0]));
        assertInstanceOf(SaslStep.Success.class, server.evaluate("\0juliet\0r0m30myr0m30".getBytes(StandardCharsets.UTF_8)));
        assertEquals(SaslFailure.MALFORMED_REQUEST, condition(server.evaluate(new byte[0])));
    }

    @Test
    void storeMayVerifyPasswordsItself() {
        CredentialStore external = new CredentialStore() {
            @Override
            public Optional<ScramCredentials> scram(String username, ScramHash hash) {
                return Optional.empty();
            }

            @Override
            public boolean verifyPassword(String username, String password) {
                return username.equals("romeo") && password.equals("bcrypt-checked");
            }
        };
        SaslContext context = SaslContext.builder().credentials(external).tlsSecured(true).build();
        assertInstanceOf(SaslStep.Success.class, plain(new PlainMechanism(), context, "\0romeo\0bcrypt-checked"));
        assertEquals(SaslFailure.NOT_AUTHORIZED, condition(plain(new PlainMechanism(), context, "\0romeo\0other")));
    }

    @Test
    void failingStoreIsATemporaryFailure() {
        SaslContext context = SaslContext.builder().tlsSecured(true).credentials((user, hash) -> {
            throw new IllegalStateException("database down");
        }).build();
        assertEquals(SaslFailure.TEMPORARY_AUTH_FAILURE, condition(plain(new PlainMechanism(), context, "\0juliet\0pw")));
    }
}
