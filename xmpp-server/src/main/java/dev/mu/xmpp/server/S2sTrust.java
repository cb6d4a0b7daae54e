package dev.mu.xmpp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Decides whether a peer server's certificate proves its domain (RFC 6120 §13.7.2, XEP-0178): the
 * chain must lead to a trusted root (the JDK's default trust store, plus any configured CA
 * certificates) and the leaf must name the domain as RFC 6125 §6 matches DNS-IDs.
 *
 * <p>Immutable and thread-safe. Revocation is not checked.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6125#section-6">RFC 6125 §6</a>
 * @see <a href="https://xmpp.org/extensions/xep-0178.html">XEP-0178</a>
 */
public final class S2sTrust {

    private final Set<TrustAnchor> anchors;

    private S2sTrust(Set<TrustAnchor> anchors) {
        this.anchors = Set.copyOf(anchors);
    }

    /** Trusts the certificate authorities of the JDK's default trust store. */
    public static S2sTrust jdkDefaults() {
        return new S2sTrust(jdkAnchors());
    }

    /** Trusts the JDK's default authorities and the CA certificates in a PEM file. */
    public static S2sTrust jdkDefaultsAnd(Path caPem) {
        Set<TrustAnchor> anchors = jdkAnchors();
        anchors.addAll(pemAnchors(caPem));
        return new S2sTrust(anchors);
    }

    /** Trusts only the CA certificates in a PEM file, for private federations and tests. */
    public static S2sTrust only(Path caPem) {
        return new S2sTrust(pemAnchors(caPem));
    }

    /**
     * Whether the chain, leaf first, is trusted and its leaf is for {@code domain}.
     *
     * @param chain  the peer's certificates as TLS presented them, or {@code null} for none
     * @param domain the domain the peer claims
     */
    public boolean verifies(X509Certificate[] chain, String domain) {
        if (chain == null || chain.length == 0 || domain == null) {
            return false;
        }
        return chainTrusted(chain) && namesDomain(chain[0], domain);
    }

    private boolean chainTrusted(X509Certificate[] chain) {
        List<X509Certificate> path = new ArrayList<>(List.of(chain));
        // A chain may end with the root itself, which is the anchor and not part of the path.
        while (!path.isEmpty() && isAnchor(path.get(path.size() - 1))) {
            if (path.size() == 1) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private boolean isAnchor(X509Certificate cert) {
        for (TrustAnchor a : anchors) {
            if (cert.equals(a.getTrustedCert())) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 6125 §6.4: the reference identifier is the domain; DNS-IDs (subjectAltName dNSName) are
     * compared case-insensitively, a wildcard only as the whole left-most label matching one label
     * (§6.4.3), and the subject's CN only when the certificate has no DNS-ID (§6.4.4).
     */
    static boolean namesDomain(X509Certificate cert, String domain) {
        String reference = stripDot(domain.toLowerCase(Locale.ROOT));
        List<String> dnsIds = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Objects.equals(san.get(0), 2) && san.get(1) instanceof String s) {
                        dnsIds.add(stripDot(s.toLowerCase(Locale.ROOT)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        if (dnsIds.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        dnsIds.add(stripDot(rdn.getValue().toString().toLowerCase(Locale.ROOT)));
                    }
                }
            } catch (InvalidNameException e) {
                return false;
            }
        }
        for (String id : dnsIds) {
            if (id.equals(reference)) {
                return true;
            }
            if (id.startsWith("*.") && reference.indexOf('.') > 0
                    && reference.substring(reference.indexOf('.') + 1).equals(id.substring(2))) {
                return true;
            }
        }
        return false;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static Set<TrustAnchor> jdkAnchors() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(c, null));
                    }
                }
            }
            return anchors;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK's default trust store cannot be read", e);
        }
    }

    private static Set<TrustAnchor> pemAnchors(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.add(new TrustAnchor((X509Certificate) c, null));
            }
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("No certificate in " + pem);
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read CA certificates " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Bad CA certificate in " + pem + ": " + e.getMessage(), e);
        }
    }
}
