package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The server replays the example exchanges of RFC 5802 §5 and RFC 7677 §3 byte for byte. */
class ScramRfcVectorsTest {

    private static void replay(ScramHash hash, String salt, String serverNonceSuffix, String[] transcript) {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.setCredentials("user", hash, ScramCredentials.derive(hash, "pencil", Base64.getDecoder().decode(salt), 4096));
        SaslContext context = SaslContext.builder().credentials(store).nonceGenerator(() -> serverNonceSuffix).build();
        SaslServer server = new ScramMechanism(hash, false, new byte[32]).newServer(context);

        SaslStep first = server.evaluate(bytes(transcript[0]));
        assertEquals(new SaslStep.Challenge(bytes(transcript[1])), first);
        SaslStep last = server.evaluate(bytes(transcript[2]));
        SaslStep.Success success = (SaslStep.Success) last;
        assertArrayEquals(bytes(transcript[3]), success.additionalData());
        assertEquals("user", success.authenticatedUser());
        assertNull(success.authorizationId());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rfc5802ScramSha1() {
        replay(ScramHash.SHA_1, "QSXCR+Q6sek8bf92", "3rfcNHYJY1ZVvWVs7j", new String[] {
            "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
            "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
        });
    }

    @Test
    void rfc7677ScramSha256() {
        replay(ScramHash.SHA_256, "W22ZaJ0SNY7soEsUEjb6gQ==", "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", new String[] {
            "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                    + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
        });
    }

    @Test
    void testClientReproducesRfc7677ClientFinal() {
        ScramTestClient client = new ScramTestClient(ScramHash.SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", new String(client.first(), StandardCharsets.UTF_8));
        byte[] serverFirst = bytes("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertEquals("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                new String(client.finalMessage(serverFirst), StandardCharsets.UTF_8));
        assertTrue(client.verifyServerFinal(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    }
}
