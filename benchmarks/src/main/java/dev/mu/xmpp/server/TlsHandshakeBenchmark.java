package dev.mu.xmpp.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full TLS handshake (no resumption) between two {@link SSLEngine}s in memory, as a client's
 * STARTTLS costs: the server engine from {@code serverProvider}, the client engine always from
 * BoringSSL, so that differences between runs are the server's.
 *
 * <p>{@code keyType} is the server certificate's key: {@code EC} (P-256, what the server generates
 * for itself) or {@code RSA} (2048 bits). The protocol is the best both offer, TLS 1.3.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TlsHandshakeBenchmark {

    @Param({"JDK", "OPENSSL"})
    public String serverProvider;

    @Param({"EC", "RSA"})
    public String keyType;

    private SslContext server;
    private SslContext client;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer sink = ByteBuffer.allocate(1 << 17);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("tls-bench-");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        writeSelfSigned(keyType, cert, key);
        server = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                .sslProvider(SslProvider.valueOf(serverProvider)).protocols("TLSv1.3", "TLSv1.2").build();
        client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        Files.delete(cert);
        Files.delete(key);
        Files.delete(dir);
        handshake();
    }

    @Benchmark
    public int handshake() throws SSLException {
        SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine c = client.newEngine(ByteBufAllocator.DEFAULT);
        try {
            c.beginHandshake();
            s.beginHandshake();
            toServer.clear();
            toClient.clear();
            for (int round = 0; round < 20; round++) {
                boolean clientDone = step(c, toClient, toServer);
                boolean serverDone = step(s, toServer, toClient);
                if (clientDone && serverDone) {
                    return round;
                }
            }
            throw new IllegalStateException("the handshake does not finish: client " + c.getHandshakeStatus()
                    + ", server " + s.getHandshakeStatus());
        } finally {
            ReferenceCountUtil.release(s);
            ReferenceCountUtil.release(c);
        }
    }

    /** Feeds an engine what its peer wrote, lets it write; true once its handshake is finished. */
    private boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
        in.flip();
        while (in.hasRemaining()) {
            sink.clear();
            if (engine.unwrap(in, sink).bytesConsumed() == 0) {
                break;
            }
            runTasks(engine);
        }
        in.compact();
        // An engine may have handshake bytes to send while saying it is done (OpenSSL's last flight).
        while (engine.wrap(EMPTY, out).bytesProduced() > 0 || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            runTasks(engine);
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static void writeSelfSigned(String keyType, Path cert, Path key) throws Exception {
        KeyPair kp;
        String signature;
        if (keyType.equals("EC")) {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            kp = kpg.generateKeyPair();
            signature = "SHA256withECDSA";
        } else {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
            kpg.initialize(2048);
            kp = kpg.generateKeyPair();
            signature = "SHA256withRSA";
        }
        X500Name name = new X500Name("CN=localhost");
        long now = System.currentTimeMillis();
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, new Date(now - 86_400_000L), new Date(now + 86_400_000L), name, kp.getPublic())
                .build(new JcaContentSignerBuilder(signature).build(kp.getPrivate())));
        try (Writer w = Files.newBufferedWriter(key, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null).generate());
        }
        try (Writer w = Files.newBufferedWriter(cert, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(c);
        }
    }
}
