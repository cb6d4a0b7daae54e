package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExternalMechanismTest {

    private static SaslServer server(boolean tls, Set<String> identities) {
        return new ExternalMechanism().newServer(SaslContext.builder().tlsSecured(tls).peerIdentities(identities).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SaslFailure condition(SaslStep step) {
        return assertInstanceOf(SaslStep.Failure.class, step).condition();
    }

    @Test
    void emptyAuthzidTakesTheSingleCertificateIdentity() {
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class,
                server(true, Set.of("capulet.example")).evaluate(new byte[0]));
        assertEquals("capulet.example", success.authenticatedUser());
        assertNull(success.authorizationId());
    }

    @Test
    void authzidMustBeACertificateIdentity() {
        SaslServer server = server(true, Set.of("capulet.example", "conference.capulet.example"));
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class, server.evaluate(bytes("Conference.Capulet.Example")));
        assertEquals("conference.capulet.example", success.authenticatedUser());
        assertEquals("Conference.Capulet.Example", success.authorizationId());
        assertEquals(SaslFailure.NOT_AUTHORIZED, condition(server(true, Set.of("capulet.example")).evaluate(bytes("montague.example"))));
    }

    @Test
    void emptyAuthzidWithNoneOrSeveralIdentitiesFails() {
        assertEquals(SaslFailure.NOT_AUTHORIZED, condition(server(true, Set.of()).evaluate(new byte[0])));
        assertEquals(SaslFailure.NOT_AUTHORIZED, condition(server(true, Set.of("a.example", "b.example")).evaluate(new byte[0])));
    }

    @Test
    void requiresTlsAndAnswersOnlyOnce() {
        assertEquals(SaslFailure.ENCRYPTION_REQUIRED, condition(server(false, Set.of("capulet.example")).evaluate(new byte[0])));
        SaslServer server = server(true, Set.of("capulet.example"));
        server.evaluate(new byte[0]);
        assertEquals(SaslFailure.MALFORMED_REQUEST, condition(server.evaluate(new byte[0])));
        assertEquals(SaslFailure.MALFORMED_REQUEST, condition(server(true, Set.of("x")).evaluate(new byte[] {(byte) 0xC0})));
    }
}
