package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server configured with PEM files picks up renewed files for new connections without a restart,
 * while connections already open keep (and bind SCRAM-PLUS to) the certificate they started with.
 */
class TlsReloadIT {

    @TempDir
    Path dir;

    Path certFile;
    Path keyFile;
    X509Certificate first;
    XmppServer server;

    @BeforeAll
    static void registerMechanism() {
        ScramSha256ClientMechanism.register();
    }

    @BeforeEach
    void start() throws Exception {
        certFile = dir.resolve("example.com.crt");
        keyFile = dir.resolve("example.com.key");
        first = writeCertificate("CN=first.example.com");
        server = TestServers.builder(dir.resolve("data")).certificate(certFile, keyFile).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aNewConnectionSeesTheReplacedCertificate() throws Exception {
        assertEquals(first, peerCertificate());

        X509Certificate second = writeCertificate("CN=second.example.com");

        assertNotEquals(first, second);
        awaitPresented(second);
    }

    @Test
    void anOpenConnectionBindsScramPlusToTheCertificateItNegotiated() throws Exception {
        XMPPTCPConnection alice = SmackClients.connection(SmackClients.config(server, "alice", TestServers.ALICE_PASSWORD)
                .addEnabledSaslMechanism(ScramSha256ClientMechanism.NAME_PLUS));
        try {
            alice.connect(); // STARTTLS with the first certificate
            awaitPresented(writeCertificate("CN=second.example.com"));

            // RFC 5929 §4.1: tls-server-end-point is the certificate of this TLS connection
            alice.login();
            assertEquals("SCRAM-SHA-256-PLUS", alice.getUsedSaslMechansism());
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aCertificateSeveralTimesTheHandshakeBufferStillNegotiates() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(4096);
        X509Certificate big = writeCertificate("CN=example.com", kpg.generateKeyPair(), "SHA256withRSA", 100);
        assertTrue(big.getEncoded().length > 4 * TlsContextSource.HANDSHAKE_BUFFER_BYTES);
        awaitPresented(big);

        XMPPTCPConnection alice = SmackClients.connection(SmackClients.config(server, "alice", TestServers.ALICE_PASSWORD));
        try {
            alice.connect().login();
            assertTrue(alice.isSecureConnection());
        } finally {
            alice.disconnect();
        }
    }

    /** Waits until new connections get the certificate: the files are looked at once per check interval. */
    private void awaitPresented(X509Certificate cert) throws InterruptedException {
        Await.until("a new connection presents " + cert.getSubjectX500Principal(),
                TlsContextSource.CHECK_INTERVAL.multipliedBy(10), () -> {
                    try {
                        return cert.equals(peerCertificate());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private X509Certificate peerCertificate() throws Exception {
        try (SSLSocket s = (SSLSocket) SmackClients.trustAllSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.directTlsPort()), 5000);
            s.setSoTimeout(5000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    /**
     * Writes a fresh self-signed certificate and key as a renewal would: each file replaced
     * atomically, the key first. File times can be coarse (or equal for two writes in one tick), so
     * each replaced file gets a modification time clearly after the previous one.
     */
    private X509Certificate writeCertificate(String subject) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"));
        return writeCertificate(subject, kpg.generateKeyPair(), "SHA256withECDSA", 0);
    }

    /** The same with any key, and {@code extraNames} subject alternative names to make it bigger. */
    private X509Certificate writeCertificate(String subject, KeyPair kp, String signature, int extraNames)
            throws Exception {
        X500Name name = new X500Name(subject);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), name, kp.getPublic());
        if (extraNames > 0) {
            GeneralName[] names = new GeneralName[extraNames];
            for (int i = 0; i < extraNames; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, "host-" + i + ".conference.example.com");
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(kp.getPrivate())));
        replace(keyFile, new JcaPKCS8Generator(kp.getPrivate(), null).generate());
        replace(certFile, cert);
        return cert;
    }

    private static void replace(Path file, Object pemObject) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(pemObject);
        }
        if (Files.exists(file)) {
            Files.setLastModifiedTime(tmp, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2)));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
