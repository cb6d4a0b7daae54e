package dev.mu.xmpp.server;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority made for one test, and the server certificates it issues. Tests only. */
final class TestPki {

    /** A certificate and its key, written as PEM files. */
    record Issued(X509Certificate certificate, KeyPair keys, Path certFile, Path keyFile) {

        /** A TLS client socket factory presenting this certificate and trusting anything. */
        SSLSocketFactory clientSocketFactory() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {SmackClients.TRUST_ALL}, new SecureRandom());
            return ctx.getSocketFactory();
        }
    }

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Path caFile;

    /** A new CA, its certificate written to {@code dir/ca.crt}. */
    TestPki(Path dir) throws Exception {
        this.dir = dir;
        this.caKeys = newKeys();
        X500Name name = new X500Name("CN=Mu XMPP Test CA");
        JcaX509v3CertificateBuilder b = builder(name, name, caKeys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.ca = sign(b, caKeys);
        this.caFile = dir.resolve("ca.crt");
        writePem(caFile, ca);
    }

    /** The CA certificate's PEM file, for a trust store. */
    Path caFile() {
        return caFile;
    }

    /** A server certificate for the domain (subjectAltName dNSName, RFC 6125 §6.4), written to {@code dir}. */
    Issued issue(String domain) throws Exception {
        KeyPair keys = newKeys();
        JcaX509v3CertificateBuilder b = builder(new X500Name("CN=Mu XMPP Test CA"), new X500Name("CN=" + domain), keys);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, domain)));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        X509Certificate cert = sign(b, caKeys);
        Path certFile = dir.resolve(domain + ".crt");
        Path keyFile = dir.resolve(domain + ".key");
        writePem(certFile, cert);
        writePem(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
        return new Issued(cert, keys, certFile, keyFile);
    }

    private JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair newKeys() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"));
        return kpg.generateKeyPair();
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
    }
}
