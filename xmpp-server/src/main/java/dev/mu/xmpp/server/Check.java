package dev.mu.xmpp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Diagnoses a configuration before serving, in the manner of {@code prosodyctl check}: ports that
 * are taken or need privileges, a certificate that does not name the domain, and missing DNS SRV
 * records, with the records to publish.
 *
 * <p>Meant to run while the server is stopped: a running server's own ports show as taken. DNS is
 * asked through the JDK's JNDI DNS provider; a lookup that fails for any reason counts as missing.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-3.2.1">RFC 6120 §3.2.1 (SRV)</a>
 * @see <a href="https://xmpp.org/extensions/xep-0368.html">XEP-0368 (SRV for direct TLS)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6125#section-6.4">RFC 6125 §6.4 (matching DNS names)</a>
 */
public final class Check {

    /** Seconds a DNS query may take before one retry. */
    public static final int DNS_TIMEOUT_SECONDS = 2;

    /** How serious a finding is. */
    public enum Level {
        /** As it should be. */
        OK,
        /** Works, but worth the operator's attention. */
        WARN,
        /** Stops the server from starting or clients from connecting. */
        FAIL
    }

    /**
     * One line of the diagnosis.
     *
     * @param level how serious
     * @param text  what was found, for the operator
     */
    public record Finding(Level level, String text) {
    }

    private record Port(String purpose, int port) {
    }

    private final ServerConfig config;
    private final int s2sPort;

    /**
     * A check of the configuration, its server-to-server port included unless federation is off.
     *
     * @param config the server settings
     */
    public Check(ServerConfig config) {
        this.config = config;
        this.s2sPort = config.s2sPort();
    }

    /** Runs every check and prints the report; returns the number of failures. */
    public int run(PrintStream out) {
        return report(findings(), out);
    }

    /** Runs every check. */
    public List<Finding> findings() {
        List<Finding> found = new ArrayList<>();
        ports(found);
        certificate(found);
        dns(found);
        return found;
    }

    /**
     * Prints findings, and the SRV records to publish, as the report; returns the number of
     * failures. Callers add their own findings to {@link #findings()} before.
     */
    public int report(List<Finding> findings, PrintStream out) {
        out.println("xmpp check for " + config.domain() + ":");
        int failures = 0;
        for (Finding f : findings) {
            out.println(switch (f.level()) {
                case OK -> "  [ok]   ";
                case WARN -> "  [warn] ";
                case FAIL -> "  [FAIL] ";
            } + f.text());
            failures += f.level() == Level.FAIL ? 1 : 0;
        }
        if (publicDomain()) {
            out.println("DNS SRV records to publish (replace the target " + config.domain()
                    + ". with the host name of this server where it differs):");
            for (String record : srvRecords()) {
                out.println("  " + record);
            }
        }
        out.println(failures == 0 ? "xmpp check: no problems found" : "xmpp check: " + failures + " problem(s) found");
        return failures;
    }

    /** The SRV records that point clients and servers at this server, in zone-file syntax. */
    public List<String> srvRecords() {
        List<String> records = new ArrayList<>();
        for (String[] srv : srvNames()) {
            records.add(srv[0] + "." + config.domain() + ". 3600 IN SRV 5 0 " + srv[1] + " " + config.domain() + ".");
        }
        return records;
    }

    /** Service names and ports: RFC 6120 §3.2.1 for STARTTLS, XEP-0368 for direct TLS. */
    private List<String[]> srvNames() {
        List<String[]> names = new ArrayList<>();
        names.add(new String[] {"_xmpp-client._tcp", Integer.toString(config.port())});
        if (config.tlsPort() >= 0) {
            names.add(new String[] {"_xmpps-client._tcp", Integer.toString(config.tlsPort())});
        }
        if (s2sPort >= 0) {
            names.add(new String[] {"_xmpp-server._tcp", Integer.toString(s2sPort)});
        }
        return names;
    }

    private void ports(List<Finding> found) {
        List<Port> ports = new ArrayList<>();
        ports.add(new Port("client port (STARTTLS, XMPP_PORT)", config.port()));
        if (config.tlsPort() >= 0) {
            ports.add(new Port("client port (direct TLS, XMPP_TLS_PORT)", config.tlsPort()));
        }
        if (s2sPort >= 0) {
            ports.add(new Port("server-to-server port (XMPP_S2S_PORT)", s2sPort));
        }
        Set<Integer> seen = new HashSet<>();
        for (Port p : ports) {
            if (p.port() == 0) {
                found.add(new Finding(Level.OK, p.purpose() + ": 0, any free port"));
            } else if (!seen.add(p.port())) {
                found.add(new Finding(Level.FAIL, p.purpose() + " " + p.port() + " is configured for two listeners"));
            } else {
                found.add(bindable(p));
            }
        }
    }

    private Finding bindable(Port p) {
        String where = config.bindAddress() + ":" + p.port();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), p.port()));
            return new Finding(Level.OK, p.purpose() + " " + where + " is free");
        } catch (BindException e) {
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("Permission denied") || reason.contains("Access denied")) {
                return new Finding(Level.FAIL, p.purpose() + " " + where + ": no permission to bind"
                        + (p.port() < 1024 ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : ""));
            }
            if (reason.contains("in use")) {
                return new Finding(Level.FAIL, p.purpose() + " " + where
                        + " is already in use (another program, or this server already running)");
            }
            return new Finding(Level.FAIL, p.purpose() + " " + where + " cannot be bound: " + reason);
        } catch (IOException | SecurityException e) {
            return new Finding(Level.FAIL, p.purpose() + " " + where + " cannot be bound: " + e.getMessage());
        }
    }

    private void certificate(List<Finding> found) {
        if (config.certFile() == null) {
            found.add(new Finding(Level.WARN, "no certificate configured (XMPP_CERT_FILE): a self-signed one is made for "
                    + config.domain() + " and clients will ask users to trust it"));
            return;
        }
        if (!Files.isReadable(config.keyFile())) {
            found.add(new Finding(Level.FAIL, "key " + config.keyFile() + " (XMPP_KEY_FILE) cannot be read"));
        }
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(config.certFile())) {
            Collection<? extends java.security.cert.Certificate> chain =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (chain.isEmpty()) {
                found.add(new Finding(Level.FAIL, "certificate " + config.certFile() + " (XMPP_CERT_FILE) holds no certificate"));
                return;
            }
            cert = (X509Certificate) chain.iterator().next();
        } catch (IOException | GeneralSecurityException e) {
            found.add(new Finding(Level.FAIL, "certificate " + config.certFile() + " (XMPP_CERT_FILE) cannot be read: " + e.getMessage()));
            return;
        }
        List<String> names = dnsNames(cert);
        if (names.stream().noneMatch(n -> matches(n, config.domain()))) {
            found.add(new Finding(Level.FAIL, "certificate " + config.certFile() + " is for " + String.join(", ", names)
                    + ", not for XMPP_DOMAIN " + config.domain() + ": clients will refuse it"));
        } else {
            found.add(new Finding(Level.OK, "certificate " + config.certFile() + " covers " + config.domain()));
        }
        if (cert.getNotAfter().before(new Date())) {
            found.add(new Finding(Level.FAIL, "certificate " + config.certFile() + " expired on " + cert.getNotAfter().toInstant()));
        }
    }

    /** The certificate's DNS names: its subjectAltName dNSName entries, else its subject CN (RFC 6125 §6.4.4). */
    private static List<String> dnsNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // Falls back to the subject's CN below.
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (NamingException e) {
                // A subject that does not parse names nothing.
            }
        }
        return names;
    }

    /** RFC 6125 §6.4.3: a wildcard stands for exactly the left-most label. */
    private static boolean matches(String pattern, String domain) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String d = domain.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = d.indexOf('.');
            return dot > 0 && d.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(d);
    }

    private boolean publicDomain() {
        String d = config.domain().toLowerCase(Locale.ROOT);
        return d.contains(".") && !d.endsWith(".localhost") && !d.matches("[0-9.]+|\\[.*]|.*:.*");
    }

    private void dns(List<Finding> found) {
        if (!publicDomain()) {
            found.add(new Finding(Level.OK, "DNS not checked: " + config.domain() + " is not a public domain name"));
            return;
        }
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", Integer.toString(DNS_TIMEOUT_SECONDS * 1000));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        for (String[] srv : srvNames()) {
            String name = srv[0] + "." + config.domain();
            try {
                List<String> records = srv(env, name);
                if (records.isEmpty()) {
                    found.add(new Finding(Level.FAIL, "DNS: no SRV record " + name));
                } else {
                    // An SRV value reads "priority weight port target" (RFC 2782).
                    boolean ourPort = records.stream().anyMatch(r -> r.split(" ").length > 2 && r.split(" ")[2].equals(srv[1]));
                    found.add(new Finding(ourPort ? Level.OK : Level.WARN, "DNS: " + name + " SRV " + String.join(", ", records)
                            + (ourPort ? "" : " (none for the configured port " + srv[1] + ")")));
                }
            } catch (NameNotFoundException e) {
                found.add(new Finding(Level.FAIL, "DNS: no SRV record " + name));
            } catch (NamingException | RuntimeException e) {
                found.add(new Finding(Level.FAIL, "DNS: no SRV record " + name + " (lookup failed: " + e.getMessage() + ")"));
            }
        }
    }

    private static List<String> srv(Hashtable<String, String> env, String name) throws NamingException {
        List<String> records = new ArrayList<>();
        DirContext ctx = new InitialDirContext(env);
        try {
            Attribute attribute = ctx.getAttributes(name, new String[] {"SRV"}).get("SRV");
            if (attribute != null) {
                NamingEnumeration<?> values = attribute.getAll();
                while (values.hasMore()) {
                    records.add(String.valueOf(values.next()));
                }
            }
        } finally {
            ctx.close();
        }
        return records;
    }
}
