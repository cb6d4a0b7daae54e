package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the SCRAM server against the test client, and against arbitrary bytes. */
class ScramPropertiesTest {
    private static final byte[] SECRET = new byte[32];

    @Provide
    Arbitrary<String> usernames() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("éßü€日本語").ofMinLength(1).ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> bindings() {
        return Arbitraries.of("none", SaslContext.TLS_EXPORTER, SaslContext.TLS_SERVER_END_POINT);
    }

    @Provide
    Arbitrary<String> nonces() {
        return Arbitraries.strings().withCharRange('!', '~').excludeChars(',').ofMinLength(1).ofMaxLength(40);
    }

    @Property(tries = 120)
    void clientAndServerAgree(@ForAll("usernames") String username, @ForAll("passwords") String password,
                              @ForAll ScramHash hash, @ForAll("bindings") String binding,
                              @ForAll @Size(min = 1, max = 64) byte[] bindingData, @ForAll @Size(min = 1, max = 32) byte[] salt,
                              @ForAll("nonces") String clientNonce, @ForAll @IntRange(min = 1, max = 512) int iterations) {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.setCredentials(username, hash, ScramCredentials.derive(hash, password, salt, iterations));
        SaslContext context = SaslContext.builder().credentials(store).tlsSecured(true)
                .channelBindingData(type -> type.equals(binding) ? bindingData : null).build();
        boolean plus = !binding.equals("none");
        ScramTestClient client = new ScramTestClient(hash, username, password, clientNonce);
        if (plus) {
            client.bind(binding, bindingData);
        }
        SaslServer server = new ScramMechanism(hash, plus, SECRET).newServer(context);

        SaslStep.Challenge challenge = assertInstanceOf(SaslStep.Challenge.class, server.evaluate(client.first()));
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class, server.evaluate(client.finalMessage(challenge.data())));
        assertEquals(username, success.authenticatedUser());
        assertTrue(client.verifyServerFinal(success.additionalData()));
    }

    @Property(tries = 60)
    void anyChangeToTheSignedPartOfClientFinalFails(@ForAll("passwords") String password, @ForAll ScramHash hash,
                                                   @ForAll @IntRange(min = 0, max = 500) int position,
                                                   @ForAll @IntRange(min = 0x21, max = 0x7E) int replacement) {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.setCredentials("juliet", hash, ScramCredentials.derive(hash, password, new byte[] {1, 2, 3}, 2));
        SaslServer server = new ScramMechanism(hash, false, SECRET)
                .newServer(SaslContext.builder().credentials(store).build());
        ScramTestClient client = new ScramTestClient(hash, "juliet", password, "abcdef");
        byte[] serverFirst = ((SaslStep.Challenge) server.evaluate(client.first())).data();
        String withoutProof = client.finalWithoutProof(new String(serverFirst, StandardCharsets.UTF_8));
        int at = position % withoutProof.length();
        Assume.that(withoutProof.charAt(at) != replacement);
        String tampered = withoutProof.substring(0, at) + (char) replacement + withoutProof.substring(at + 1);

        SaslStep step = server.evaluate(client.finalMessage(serverFirst, tampered));
        assertInstanceOf(SaslStep.Failure.class, step);
    }

    @Property(tries = 400)
    void randomBytesNeverThrowNorSucceed(@ForAll("mechanisms") String mechanism,
                                         @ForAll @Size(min = 1, max = 3) List<@Size(max = 80) byte[]> responses) {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        SaslContext context = SaslContext.builder().credentials(store).tlsSecured(true).domain("example.com")
                .channelBindingData(type -> new byte[] {1, 2, 3}).build();
        SaslServer server = SaslMechanisms.defaults().byName(mechanism).orElseThrow().newServer(context);
        boolean failed = false;
        for (byte[] response : responses) {
            SaslStep step = server.evaluate(response);
            assertFalse(step instanceof SaslStep.Success, "success from random bytes");
            assertTrue(!failed || step instanceof SaslStep.Failure, "a failed exchange must stay failed");
            failed |= step instanceof SaslStep.Failure;
        }
    }

    @Property(tries = 400)
    void randomTextAfterAValidClientFirstNeverThrows(@ForAll ScramHash hash,
                                                     @ForAll @Size(max = 120) String clientFinal) {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.setCredentials("juliet", hash, ScramCredentials.derive(hash, "pw", new byte[] {1}, 1));
        SaslServer server = new ScramMechanism(hash, false, SECRET).newServer(SaslContext.builder().credentials(store).build());
        server.evaluate("n,,n=juliet,r=abc".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(SaslStep.Failure.class, server.evaluate(clientFinal.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> mechanisms() {
        return Arbitraries.of(SaslMechanisms.defaults().offered(true, Set.of(SaslContext.TLS_EXPORTER)));
    }
}
