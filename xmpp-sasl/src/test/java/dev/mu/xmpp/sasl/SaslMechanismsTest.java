package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SaslMechanismsTest {
    private final SaslMechanisms defaults = SaslMechanisms.defaults();

    @Test
    void withoutTlsOnlyScramIsOffered() {
        assertEquals(List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1"), defaults.offered(false, Set.of()));
        assertEquals(List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1"),
                defaults.offered(false, Set.of(SaslContext.TLS_EXPORTER)));
    }

    @Test
    void withTlsPlainComesLast() {
        assertEquals(List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"), defaults.offered(true, Set.of()));
    }

    @Test
    void withChannelBindingPlusComesFirst() {
        assertEquals(List.of("SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS",
                        "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"),
                defaults.offered(true, Set.of(SaslContext.TLS_EXPORTER, SaslContext.TLS_SERVER_END_POINT)));
    }

    @Test
    void externalIsOfferedOverTlsWhereAdded() {
        SaslMechanisms s2s = new SaslMechanisms(List.of(new ExternalMechanism()));
        assertEquals(List.of("EXTERNAL"), s2s.offered(true, Set.of()));
        assertEquals(List.of(), s2s.offered(false, Set.of()));
    }

    @Test
    void byNameIsExact() {
        assertEquals("SCRAM-SHA-256-PLUS", defaults.byName("SCRAM-SHA-256-PLUS").orElseThrow().name());
        assertTrue(defaults.byName("scram-sha-256").isEmpty());
        assertTrue(defaults.byName("EXTERNAL").isEmpty());
        assertTrue(defaults.byName("DIGEST-MD5").isEmpty());
    }

    @Test
    void defaultsAreANewInstanceEachTime() {
        assertNotSame(defaults.byName("PLAIN").orElseThrow(), SaslMechanisms.defaults().byName("PLAIN").orElseThrow());
    }

    @Test
    void duplicateNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SaslMechanisms(List.of(new PlainMechanism(), new PlainMechanism(true))));
    }

    @Test
    void failureElementNames() {
        assertEquals("not-authorized", SaslFailure.NOT_AUTHORIZED.elementName());
        assertEquals("temporary-auth-failure", SaslFailure.TEMPORARY_AUTH_FAILURE.elementName());
        assertEquals("invalid-authzid", SaslFailure.INVALID_AUTHZID.elementName());
        assertEquals(11, SaslFailure.values().length);
    }
}
