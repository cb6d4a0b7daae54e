package dev.mu.xmpp.server;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, built from PEM certificate and key files and rebuilt when either file
 * changes, so that a renewed certificate takes effect for new connections without a restart.
 *
 * <p>Client streams use BoringSSL (netty-tcnative) when it is on the class path: its full
 * handshake costs a small fraction of the JDK engine's, whose elliptic-curve arithmetic dominates
 * a login otherwise. Without it, or if it cannot load the key, they use the JDK. Server-to-server
 * streams keep the JDK engine: they are few and long-lived, so their handshakes cost little overall.
 * The bundled server ships netty-tcnative-boringssl-static for linux-x86_64; an embedder adds it
 * (an optional dependency of this module) to get the same.
 *
 * <p>The files' modification times are looked at no more than once per {@link #CHECK_INTERVAL}: a
 * {@code stat} of two files on every STARTTLS was 1% of a login's CPU.
 *
 * <p>Thread-safe. Connections already open keep the context they started with.
 */
public final class TlsContextSource {

    /**
     * Bytes of each of BoringSSL's two per-connection buffers for handshake records and alerts
     * (Netty's default is 2048). They stay allocated for the connection's life; at 1024 a large
     * handshake flight takes a few more passes, and an idle session's RSS fell from 8.2–9.4 to 6.8 KiB
     * (5,000 sessions, {@code benchmarks/RESULTS.md}).
     */
    static final int HANDSHAKE_BUFFER_BYTES = 1024;

    /** How long a renewed certificate may wait before new connections use it. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(TlsContextSource.class);

    private final Path certFile;
    private final Path keyFile;
    private final long checkIntervalNanos;
    private volatile Loaded loaded;
    private volatile long nextCheck;

    private record Loaded(SslContext context, S2sContexts s2s, FileTime certTime, FileTime keyTime) {
    }

    /** The TLS contexts of server-to-server streams, with the same certificate. */
    private record S2sContexts(SslContext server, SslContext client, SslContext directTlsClient) {
    }

    TlsContextSource(Path certFile, Path keyFile, Duration checkInterval) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.loaded = load();
        this.nextCheck = System.nanoTime() + checkIntervalNanos;
        log.info("xmpp tls: client streams use {}",
                loaded.context() instanceof OpenSslContext ? OpenSsl.versionString() : "the JDK");
    }

    /** A source reading the given PEM files (certificate chain, PKCS#8 key). */
    public static TlsContextSource fromPem(Path certFile, Path keyFile) {
        return new TlsContextSource(certFile, keyFile, CHECK_INTERVAL);
    }

    /**
     * A source for a self-signed certificate for the domain, kept in the data directory and made on
     * first use; clients will not trust it unless told to, so a warning is logged.
     */
    public static TlsContextSource selfSigned(String domain, Path dataDir) {
        Path cert = dataDir.resolve(domain + ".crt");
        Path key = dataDir.resolve(domain + ".key");
        if (!Files.exists(cert) || !Files.exists(key)) {
            generateSelfSigned(domain, cert, key);
            log.warn("xmpp tls: no certificate configured; generated a self-signed one for {} in {}", domain, cert);
        } else {
            log.warn("xmpp tls: no certificate configured; using the self-signed one in {}", cert);
        }
        return new TlsContextSource(cert, key, CHECK_INTERVAL);
    }

    /** The current context, rebuilt first if the certificate or key file changed since the last look. */
    public SslContext context() {
        return current().context();
    }

    /**
     * The context for accepting server-to-server streams: it asks the peer for its certificate and
     * completes the handshake whatever it presents, since {@link S2sTrust} decides afterwards
     * whether the certificate proves the peer's domain or the peer has to use dialback (XEP-0178 §3,
     * XEP-0220 §1.4).
     */
    SslContext s2sServerContext() {
        return current().s2s().server();
    }

    /**
     * The context for server-to-server streams this server opens: it presents the certificate for
     * SASL EXTERNAL and accepts any peer certificate, which {@link S2sTrust} then judges.
     *
     * @param directTls whether for XEP-0368 direct TLS, which negotiates ALPN {@code xmpp-server}
     */
    SslContext s2sClientContext(boolean directTls) {
        S2sContexts s2s = current().s2s();
        return directTls ? s2s.directTlsClient() : s2s.client();
    }

    private Loaded current() {
        Loaded l = loaded;
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return l;
        }
        // Racing threads may each look once more; that costs a stat, not a reload.
        nextCheck = now + checkIntervalNanos;
        try {
            if (!Files.getLastModifiedTime(certFile).equals(l.certTime())
                    || !Files.getLastModifiedTime(keyFile).equals(l.keyTime())) {
                synchronized (this) {
                    l = loaded;
                    if (!Files.getLastModifiedTime(certFile).equals(l.certTime())
                            || !Files.getLastModifiedTime(keyFile).equals(l.keyTime())) {
                        l = load();
                        loaded = l;
                        log.info("xmpp tls: reloaded certificate {}", certFile);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A half-written renewal must not take the listener down: keep serving the old context.
            log.warn("xmpp tls: keeping the previous certificate, reload failed: {}", e.toString());
        }
        return l;
    }

    private Loaded load() {
        try {
            FileTime certTime = Files.getLastModifiedTime(certFile);
            FileTime keyTime = Files.getLastModifiedTime(keyFile);
            return new Loaded(c2sContext(), s2sContexts(), certTime, keyTime);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read TLS files " + certFile + ", " + keyFile, e);
        }
    }

    private SslContext c2sContext() throws SSLException {
        if (OpenSsl.isAvailable()) {
            try {
                return c2sContext(SslProvider.OPENSSL);
            } catch (SSLException | RuntimeException e) {
                log.warn("xmpp tls: OpenSSL cannot use {}, falling back to the JDK: {}", certFile, e.toString());
            }
        }
        return c2sContext(SslProvider.JDK);
    }

    private SslContext c2sContext(SslProvider provider) throws SSLException {
        SslContext context = SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
        if (context instanceof ReferenceCountedOpenSslContext openSsl) {
            openSsl.setBioNonApplicationBufferSize(HANDSHAKE_BUFFER_BYTES);
        }
        return context;
    }

    private S2sContexts s2sContexts() throws IOException {
        SslContext server = SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .clientAuth(ClientAuth.OPTIONAL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
        SslContextBuilder client = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .keyManager(certFile.toFile(), keyFile.toFile())
                .trustManager(InsecureTrustManagerFactory.INSTANCE);
        SslContext plain = client.build();
        // XEP-0368 §3: direct TLS to an _xmpps-server target negotiates the ALPN protocol 'xmpp-server'.
        SslContext direct = client.applicationProtocolConfig(new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                "xmpp-server")).build();
        return new S2sContexts(server, plain, direct);
    }

    /**
     * The {@code tls-server-end-point} channel binding data of a certificate (RFC 5929 §4.1): its
     * hash with the certificate's signature hash, SHA-256 for MD5 and SHA-1.
     */
    static byte[] endPointHash(X509Certificate cert) throws GeneralSecurityException {
        String sigAlg = cert.getSigAlgName().toUpperCase(java.util.Locale.ROOT);
        String hash;
        if (sigAlg.startsWith("SHA384")) {
            hash = "SHA-384";
        } else if (sigAlg.startsWith("SHA512")) {
            hash = "SHA-512";
        } else {
            hash = "SHA-256";
        }
        return MessageDigest.getInstance(hash).digest(cert.getEncoded());
    }

    private static void generateSelfSigned(String domain, Path certFile, Path keyFile) {
        try {
            Files.createDirectories(certFile.toAbsolutePath().getParent());
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=" + domain);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, domain)));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            writePem(keyFile, new JcaPKCS8Generator(kp.getPrivate(), null).generate());
            writePem(certFile, cert);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot generate a self-signed certificate for " + domain, e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
