package dev.mu.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A SCRAM-SHA-256 login (RFC 5802, RFC 7677) with the default {@value
 * ScramCredentials#DEFAULT_ITERATIONS} iterations, no channel binding.
 *
 * <ul>
 *   <li>{@link #serverExchange}: what the server spends per login: client-first, server-first,
 *       client-final, server-final against stored keys. The server never iterates here: it holds
 *       StoredKey and ServerKey, so this is PRECIS, a few HMACs and SHA-256. The server nonce is fixed
 *       so that the client messages can be computed once in setup.
 *   <li>{@link #fullExchange}: both ends of a login with a random server nonce, including the
 *       client's {@code Hi()} (PBKDF2-HMAC-SHA-256, 4096 iterations) and its check of the server
 *       signature: the cost a load generator pays per login.
 *   <li>{@link #deriveCredentials}: the server's {@code Hi()} when a password is set or changed.
 * </ul>
 *
 * <p>The client side is written here from RFC 5802 §3 and §5 with the JDK's PBKDF2.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ScramBenchmark {

    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String CLIENT_NONCE = "fyko+d2lbbFgONRv9qkxdawL";
    private static final String SERVER_NONCE = "3rfcNHYJY1ZVvWVs7j";

    private ScramMechanism mechanism;
    private SaslContext fixedNonce;
    private SaslContext randomNonce;
    private byte[] salt;
    private byte[] clientFirst;
    private byte[] clientFinal;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser(USER, PASSWORD);
        salt = store.scram(USER, ScramHash.SHA_256).orElseThrow().salt();
        byte[] secret = new byte[SaslMechanisms.SECRET_LENGTH];
        java.util.Arrays.fill(secret, (byte) 7);
        mechanism = new ScramMechanism(ScramHash.SHA_256, false, secret);
        fixedNonce = SaslContext.builder().credentials(store).domain("example.com")
                .nonceGenerator(() -> SERVER_NONCE).build();
        randomNonce = SaslContext.builder().credentials(store).domain("example.com").build();

        Client client = new Client();
        clientFirst = client.first();
        SaslServer server = mechanism.newServer(fixedNonce);
        SaslStep first = server.evaluate(clientFirst);
        clientFinal = client.fin(((SaslStep.Challenge) first).data());
        if (!(server.evaluate(clientFinal) instanceof SaslStep.Success success) || !client.verify(success)) {
            throw new IllegalStateException("the SCRAM exchange does not succeed");
        }
    }

    @Benchmark
    public SaslStep serverExchange() {
        SaslServer server = mechanism.newServer(fixedNonce);
        server.evaluate(clientFirst);
        return server.evaluate(clientFinal);
    }

    @Benchmark
    public boolean fullExchange() throws GeneralSecurityException {
        Client client = new Client();
        SaslServer server = mechanism.newServer(randomNonce);
        SaslStep first = server.evaluate(client.first());
        SaslStep last = server.evaluate(client.fin(((SaslStep.Challenge) first).data()));
        return last instanceof SaslStep.Success success && client.verify(success);
    }

    @Benchmark
    public ScramCredentials deriveCredentials() {
        return ScramCredentials.derive(ScramHash.SHA_256, PASSWORD, salt, ScramCredentials.DEFAULT_ITERATIONS);
    }

    /** The client side of one exchange, RFC 5802 §3. */
    private static final class Client {
        private final String firstBare = "n=" + USER + ",r=" + CLIENT_NONCE;
        private byte[] serverSignature;

        byte[] first() {
            return ("n,," + firstBare).getBytes(StandardCharsets.UTF_8);
        }

        byte[] fin(byte[] serverFirstBytes) throws GeneralSecurityException {
            String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
            String nonce = null;
            byte[] s = null;
            int iterations = 0;
            for (String attribute : serverFirst.split(",")) {
                String value = attribute.substring(2);
                switch (attribute.charAt(0)) {
                    case 'r' -> nonce = value;
                    case 's' -> s = Base64.getDecoder().decode(value);
                    case 'i' -> iterations = Integer.parseInt(value);
                    default -> { }
                }
            }
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] saltedPassword = pbkdf2.generateSecret(
                    new PBEKeySpec(PASSWORD.toCharArray(), s, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String withoutProof = "c=biws,r=" + nonce;
            byte[] authMessage = (firstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] proof = hmac(storedKey, authMessage);
            for (int i = 0; i < proof.length; i++) {
                proof[i] ^= clientKey[i];
            }
            serverSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        }

        boolean verify(SaslStep.Success success) {
            String expected = "v=" + Base64.getEncoder().encodeToString(serverSignature);
            return expected.equals(new String(success.additionalData(), StandardCharsets.UTF_8));
        }

        private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
            return hmac(key, data.getBytes(StandardCharsets.US_ASCII));
        }

        private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }
    }
}
