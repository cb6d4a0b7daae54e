package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SCRAM exchanges that must succeed, and every way the brief says they must fail. */
class ScramExchangeTest {
    private static final byte[] SECRET = new byte[32];
    private static final byte[] EXPORTER = bytes("exporter-data-32-bytes-long-abcd");
    private static final byte[] END_POINT = bytes("certificate-hash");

    private final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private SaslContext.Builder context;

    @BeforeEach
    void setUp() {
        store.addUser("juliet", "r0m30myr0m30");
        context = SaslContext.builder().credentials(store).domain("example.com").tlsSecured(true)
                .channelBindingData(Map.of(SaslContext.TLS_EXPORTER, EXPORTER,
                        SaslContext.TLS_SERVER_END_POINT, END_POINT)::get);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private SaslServer server(ScramHash hash, boolean plus) {
        return new ScramMechanism(hash, plus, SECRET).newServer(context.build());
    }

    /** Runs a whole exchange with the client and returns the server's last step. */
    private SaslStep exchange(SaslServer server, ScramTestClient client) {
        SaslStep first = server.evaluate(client.first());
        if (!(first instanceof SaslStep.Challenge challenge)) {
            return first;
        }
        return server.evaluate(client.finalMessage(challenge.data()));
    }

    private static ScramTestClient client(String user, String password) {
        return new ScramTestClient(ScramHash.SHA_256, user, password, "clientnonce123");
    }

    private static void assertFailure(SaslFailure expected, SaslStep step) {
        SaslStep.Failure failure = assertInstanceOf(SaslStep.Failure.class, step);
        assertEquals(expected, failure.condition(), failure.text());
    }

    @Test
    void succeedsAndTheClientVerifiesTheServer() {
        ScramTestClient client = client("juliet", "r0m30myr0m30");
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class, exchange(server(ScramHash.SHA_256, false), client));
        assertEquals("juliet", success.authenticatedUser());
        assertTrue(client.verifyServerFinal(success.additionalData()));
    }

    @Test
    void succeedsWithBothChannelBindingTypes() {
        for (var binding : Map.of(SaslContext.TLS_EXPORTER, EXPORTER, SaslContext.TLS_SERVER_END_POINT, END_POINT).entrySet()) {
            ScramTestClient client = client("juliet", "r0m30myr0m30").bind(binding.getKey(), binding.getValue());
            assertInstanceOf(SaslStep.Success.class, exchange(server(ScramHash.SHA_256, true), client), binding.getKey());
        }
    }

    @Test
    void usernameIsCaseMappedAndSaslnameDecoded() {
        store.addUser("a,b=c", "secret");
        SaslStep.Success upper = assertInstanceOf(SaslStep.Success.class,
                exchange(server(ScramHash.SHA_256, false), client("JULIET", "r0m30myr0m30")));
        assertEquals("juliet", upper.authenticatedUser());
        SaslStep.Success escaped = assertInstanceOf(SaslStep.Success.class,
                exchange(server(ScramHash.SHA_256, false), client("a,b=c", "secret")));
        assertEquals("a,b=c", escaped.authenticatedUser());
    }

    @Test
    void emptyInitialResponseGetsAnEmptyChallenge() {
        SaslServer server = server(ScramHash.SHA_256, false);
        assertEquals(new SaslStep.Challenge(new byte[0]), server.evaluate(new byte[0]));
        assertInstanceOf(SaslStep.Success.class, exchange(server, client("juliet", "r0m30myr0m30")));
    }

    @Test
    void unknownExtensionsAreIgnored() {
        assertInstanceOf(SaslStep.Challenge.class,
                server(ScramHash.SHA_256, false).evaluate(bytes("n,,n=juliet,r=clientnonce123,x=unknown")));
    }

    @Test
    void wrongPasswordIsNotAuthorized() {
        assertFailure(SaslFailure.NOT_AUTHORIZED, exchange(server(ScramHash.SHA_256, false), client("juliet", "wrong")));
    }

    @Test
    void unknownUserLooksLikeAWrongPassword() {
        SaslStep wrong = exchange(server(ScramHash.SHA_256, false), client("juliet", "wrong"));
        SaslStep unknown = exchange(server(ScramHash.SHA_256, false), client("romeo", "wrong"));
        assertEquals(wrong, unknown);
    }

    @Test
    void unknownUserGetsAStableSaltAcrossAttemptsAndMechanisms() {
        String first = text(((SaslStep.Challenge) server(ScramHash.SHA_256, false).evaluate(client("romeo", "x").first())).data());
        String again = text(((SaslStep.Challenge) server(ScramHash.SHA_256, false).evaluate(client("romeo", "x").first())).data());
        String sha1 = text(((SaslStep.Challenge) server(ScramHash.SHA_1, false).evaluate(client("romeo", "x").first())).data());
        String other = text(((SaslStep.Challenge) server(ScramHash.SHA_256, false).evaluate(client("mercutio", "x").first())).data());
        assertEquals(saltAndIterations(first), saltAndIterations(again));
        assertEquals(saltAndIterations(first), saltAndIterations(sha1));
        assertTrue(first.endsWith(",i=4096"));
        assertEquals(ScramCredentials.DEFAULT_SALT_LENGTH, Base64.getDecoder().decode(first.split(",")[1].substring(2)).length);
        assertNotEquals(saltAndIterations(first), saltAndIterations(other));
    }

    private static String saltAndIterations(String serverFirst) {
        return serverFirst.substring(serverFirst.indexOf(",s="));
    }

    @Test
    void tamperedProofIsNotAuthorized() {
        SaslServer server = server(ScramHash.SHA_256, false);
        ScramTestClient client = client("juliet", "r0m30myr0m30");
        byte[] serverFirst = ((SaslStep.Challenge) server.evaluate(client.first())).data();
        String message = text(client.finalMessage(serverFirst));
        int p = message.indexOf(",p=") + 3;
        byte[] proof = Base64.getDecoder().decode(message.substring(p));
        proof[0] ^= 1;
        assertFailure(SaslFailure.NOT_AUTHORIZED,
                server.evaluate(bytes(message.substring(0, p) + Base64.getEncoder().encodeToString(proof))));
    }

    @Test
    void tamperedNonceIsNotAuthorized() {
        SaslServer server = server(ScramHash.SHA_256, false);
        ScramTestClient client = client("juliet", "r0m30myr0m30");
        byte[] serverFirst = ((SaslStep.Challenge) server.evaluate(client.first())).data();
        // The client signs the tampered nonce, so only the nonce check can catch it.
        String tampered = client.finalWithoutProof(text(serverFirst)).replace(",r=clientnonce123", ",r=clientnonce124");
        assertFailure(SaslFailure.NOT_AUTHORIZED, server.evaluate(client.finalMessage(serverFirst, tampered)));
    }

    @Test
    void replayedClientFinalFromAnotherExchangeIsNotAuthorized() {
        SaslServer first = server(ScramHash.SHA_256, false);
        ScramTestClient client = client("juliet", "r0m30myr0m30");
        byte[] recorded = client.finalMessage(((SaslStep.Challenge) first.evaluate(client.first())).data());
        SaslServer second = server(ScramHash.SHA_256, false);
        second.evaluate(client.first());
        assertFailure(SaslFailure.NOT_AUTHORIZED, second.evaluate(recorded));
    }

    @Test
    void wrongChannelBindingDataIsNotAuthorized() {
        ScramTestClient client = client("juliet", "r0m30myr0m30").bind(SaslContext.TLS_EXPORTER, bytes("some other channel"));
        assertFailure(SaslFailure.NOT_AUTHORIZED, exchange(server(ScramHash.SHA_256, true), client));
    }

    @Test
    void unsupportedOrUnavailableChannelBindingTypeFails() {
        ScramTestClient unique = client("juliet", "r0m30myr0m30").bind("tls-unique", EXPORTER);
        assertFailure(SaslFailure.NOT_AUTHORIZED, exchange(server(ScramHash.SHA_256, true), unique));
        context.channelBindingData(type -> null);
        ScramTestClient exporter = client("juliet", "r0m30myr0m30").bind(SaslContext.TLS_EXPORTER, EXPORTER);
        assertFailure(SaslFailure.NOT_AUTHORIZED, exchange(server(ScramHash.SHA_256, true), exporter));
    }

    @Test
    void yFlagIsADowngradeWhenTheServerCanBind() {
        ScramTestClient client = client("juliet", "r0m30myr0m30").flagY();
        assertFailure(SaslFailure.NOT_AUTHORIZED, exchange(server(ScramHash.SHA_256, false), client));
    }

    @Test
    void yFlagIsFineWhenTheServerCannotBind() {
        context.channelBindingData(type -> null);
        ScramTestClient client = client("juliet", "r0m30myr0m30").flagY();
        assertInstanceOf(SaslStep.Success.class, exchange(server(ScramHash.SHA_256, false), client));
        context.channelBindingData(Map.of(SaslContext.TLS_EXPORTER, EXPORTER)::get).channelBindingTypes(Set.of());
        assertInstanceOf(SaslStep.Success.class, exchange(server(ScramHash.SHA_256, false), client("juliet", "r0m30myr0m30").flagY()));
    }

    @Test
    void plusVariantRequiresPAndPlainVariantRefusesIt() {
        assertFailure(SaslFailure.MALFORMED_REQUEST, exchange(server(ScramHash.SHA_256, true), client("juliet", "r0m30myr0m30")));
        ScramTestClient binding = client("juliet", "r0m30myr0m30").bind(SaslContext.TLS_EXPORTER, EXPORTER);
        assertFailure(SaslFailure.MALFORMED_REQUEST, exchange(server(ScramHash.SHA_256, false), binding));
    }

    @Test
    void authzidOfTheUserIsAcceptedAndAnyOtherIsInvalid() {
        ScramTestClient own = client("juliet", "r0m30myr0m30").authzid("Juliet@Example.COM");
        SaslStep.Success success = assertInstanceOf(SaslStep.Success.class, exchange(server(ScramHash.SHA_256, false), own));
        assertEquals("Juliet@Example.COM", success.authorizationId());
        ScramTestClient other = client("juliet", "r0m30myr0m30").authzid("romeo@example.com");
        assertFailure(SaslFailure.INVALID_AUTHZID, exchange(server(ScramHash.SHA_256, false), other));
    }

    @Test
    void authzidPolicyCanBeReplaced() {
        context.authzidPolicy((user, authzid) -> authzid.equals("admin-of-" + user));
        ScramTestClient client = client("juliet", "r0m30myr0m30").authzid("admin-of-juliet");
        assertInstanceOf(SaslStep.Success.class, exchange(server(ScramHash.SHA_256, false), client));
    }

    @Test
    void disabledAccountIsReportedOnlyWithTheRightPassword() {
        store.setEnabled("juliet", false);
        assertFailure(SaslFailure.ACCOUNT_DISABLED, exchange(server(ScramHash.SHA_256, false), client("juliet", "r0m30myr0m30")));
        assertFailure(SaslFailure.NOT_AUTHORIZED, exchange(server(ScramHash.SHA_256, false), client("juliet", "wrong")));
    }

    @Test
    void malformedMessagesAreMalformedRequests() {
        String[] firsts = {
            "x,,n=juliet,r=abc",          // bad gs2 flag
            "n,b=x,n=juliet,r=abc",       // bad authzid field
            "n,,r=abc,n=juliet",          // attributes out of order
            "n,,n=juliet",                // missing nonce
            "n,,m=ext,n=juliet,r=abc",    // mandatory extension
            "n,,n=jul=2Xiet,r=abc",       // bad saslname escape
            "n,,n=juliet,r=",             // empty nonce
            "n,,n=juliet,r=a b",          // nonce not printable
            "n,,n=juliet,r=abc,1=x",      // bad extension
            "p=,,n=juliet,r=abc",         // empty cb-name
        };
        for (String first : firsts) {
            assertFailure(SaslFailure.MALFORMED_REQUEST, server(ScramHash.SHA_256, false).evaluate(bytes(first)));
        }
        assertFailure(SaslFailure.MALFORMED_REQUEST,
                server(ScramHash.SHA_256, false).evaluate(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xC3, '(', ',', 'r', '=', 'a'}));
        String[] finals = {"c=biws,r=clientnonce123", "c=bi!s,r=x,p=AAAA", "c=biws,r=x,p=AA*A", "r=x,c=biws,p=AAAA", ""};
        for (String last : finals) {
            SaslServer server = server(ScramHash.SHA_256, false);
            server.evaluate(client("juliet", "r0m30myr0m30").first());
            assertFailure(SaslFailure.MALFORMED_REQUEST, server.evaluate(bytes(last)));
        }
    }

    @Test
    void usernameFailingPrecisIsNotAuthorized() {
        assertFailure(SaslFailure.NOT_AUTHORIZED, server(ScramHash.SHA_256, false).evaluate(bytes("n,,n=jul\u0007iet,r=abc")));
    }

    @Test
    void evaluateAfterCompletionFails() {
        SaslServer server = server(ScramHash.SHA_256, false);
        assertInstanceOf(SaslStep.Success.class, exchange(server, client("juliet", "r0m30myr0m30")));
        assertFailure(SaslFailure.MALFORMED_REQUEST, server.evaluate(bytes("c=biws")));
        SaslServer failed = server(ScramHash.SHA_256, false);
        failed.evaluate(bytes("garbage"));
        assertFailure(SaslFailure.MALFORMED_REQUEST, failed.evaluate(client("juliet", "r0m30myr0m30").first()));
    }

    @Test
    void failingStoreIsATemporaryFailure() {
        context.credentials((user, hash) -> {
            throw new IllegalStateException("database down");
        });
        assertFailure(SaslFailure.TEMPORARY_AUTH_FAILURE, exchange(server(ScramHash.SHA_256, false), client("juliet", "x")));
    }

    @Test
    void storeWithoutThisHashTreatsTheUserAsUnknown() {
        ScramCredentials sha1Only = ScramCredentials.derive(ScramHash.SHA_1, "pw");
        context.credentials((user, hash) -> hash == ScramHash.SHA_1 ? Optional.of(sha1Only) : Optional.empty());
        assertFailure(SaslFailure.NOT_AUTHORIZED, exchange(server(ScramHash.SHA_256, false), client("juliet", "pw")));
        ScramTestClient sha1 = new ScramTestClient(ScramHash.SHA_1, "juliet", "pw", "n0nce");
        assertInstanceOf(SaslStep.Success.class, exchange(server(ScramHash.SHA_1, false), sha1));
    }

    @Test
    void serverNonceExtendsTheClientNonce() {
        context.nonceGenerator(() -> "SERVER");
        byte[] challenge = ((SaslStep.Challenge) server(ScramHash.SHA_512, false).evaluate(client("juliet", "x").first())).data();
        assertTrue(text(challenge).startsWith("r=clientnonce123SERVER,s="));
        assertArrayEquals(challenge, ((SaslStep.Challenge) server(ScramHash.SHA_512, false)
                .evaluate(client("juliet", "x").first())).data());
    }
}
