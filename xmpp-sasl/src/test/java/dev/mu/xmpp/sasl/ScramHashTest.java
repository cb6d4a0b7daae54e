package dev.mu.xmpp.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code Hi()} and the HMAC agree with the JDK's PBKDF2 and Mac, for keys shorter and longer than a block. */
class ScramHashTest {

    private static final String[] PASSWORDS = {
        "p", "pencil", "correct horse battery staple", "Zoë's passphrase ✓".repeat(4), "x".repeat(129),
    };

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void hiIsPbkdf2WithOneBlock(ScramHash hash) throws GeneralSecurityException {
        byte[] salt = "QSXCR+Q6sek8bf92".getBytes(StandardCharsets.US_ASCII);
        SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2With" + hash.macAlgorithm());
        for (String password : PASSWORDS) {
            for (int iterations : new int[] {1, 2, 4096}) {
                byte[] expected = pbkdf2.generateSecret(
                        new PBEKeySpec(password.toCharArray(), salt, iterations, hash.length() * 8)).getEncoded();
                assertArrayEquals(expected, hash.hi(password.getBytes(StandardCharsets.UTF_8), salt, iterations),
                        password + ", " + iterations + " iterations");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ScramHash.class)
    void hmacIsTheJdks(ScramHash hash) throws GeneralSecurityException {
        byte[] data = "Client Key".getBytes(StandardCharsets.US_ASCII);
        for (String key : PASSWORDS) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            Mac mac = Mac.getInstance(hash.macAlgorithm());
            mac.init(new SecretKeySpec(k, hash.macAlgorithm()));
            assertArrayEquals(mac.doFinal(data), hash.hmac(k, data), key);
        }
    }
}
