package dev.mu.xmpp.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds where a remote domain's XMPP server listens (RFC 6120 §3.2, XEP-0368): the configured static
 * host map first, then the DNS SRV records {@code _xmpps-server._tcp} (direct TLS) and
 * {@code _xmpp-server._tcp} (STARTTLS) ordered by priority and weight (RFC 2782), and without any
 * SRV record the domain's own A/AAAA addresses on port {@value #DEFAULT_PORT}.
 *
 * <p>Lookups block, so callers run them off the event loop. Thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-3.2">RFC 6120 §3.2</a>
 */
final class PeerResolver {

    private static final Logger log = LoggerFactory.getLogger(PeerResolver.class);

    /** The IANA port of server-to-server streams, RFC 6120 §14.7. */
    static final int DEFAULT_PORT = 5269;

    /** One place to connect to: an address, and whether TLS starts with the first byte (XEP-0368). */
    record Target(InetSocketAddress address, boolean directTls) {
    }

    private final Map<String, InetSocketAddress> staticHosts;
    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);
    private final Random random = new Random();

    /**
     * @param staticHosts domain to address; these domains are never looked up in DNS
     * @param dnsServer   the DNS server to ask, or {@code null} for the system's
     * @param timeout     how long one DNS query may take
     */
    PeerResolver(Map<String, InetSocketAddress> staticHosts, InetSocketAddress dnsServer, Duration timeout) {
        TreeMap<String, InetSocketAddress> hosts = new TreeMap<>();
        staticHosts.forEach((k, v) -> hosts.put(k.toLowerCase(Locale.ROOT), v));
        this.staticHosts = Map.copyOf(hosts);
        Resolver r = dnsServer == null ? new ExtendedResolver() : new SimpleResolver(dnsServer);
        r.setTimeout(timeout);
        this.resolver = r;
    }

    /** The places to try, best first; empty when the domain cannot be found. */
    List<Target> resolve(String domain) {
        InetSocketAddress fixed = staticHosts.get(domain.toLowerCase(Locale.ROOT));
        if (fixed != null) {
            return List.of(new Target(fixed, false));
        }
        List<Target> targets = new ArrayList<>();
        // XEP-0368 §3: _xmpps-server and _xmpp-server records are merged and tried by priority and weight.
        List<Srv> srv = new ArrayList<>();
        for (SRVRecord r : srv("_xmpps-server._tcp." + domain)) {
            srv.add(new Srv(r, true));
        }
        for (SRVRecord r : srv("_xmpp-server._tcp." + domain)) {
            srv.add(new Srv(r, false));
        }
        if (srv.size() == 1 && srv.get(0).record.getTarget().equals(Name.root)) {
            // RFC 2782: a target of "." means the service is decidedly not available at this domain.
            return List.of();
        }
        for (Srv s : ordered(srv)) {
            String host = s.record.getTarget().toString(true);
            for (InetAddress a : addresses(host)) {
                targets.add(new Target(new InetSocketAddress(a, s.record.getPort()), s.directTls));
            }
        }
        if (srv.isEmpty()) {
            // RFC 6120 §3.2.2: without SRV records, the domain itself on the default port.
            for (InetAddress a : addresses(domain)) {
                targets.add(new Target(new InetSocketAddress(a, DEFAULT_PORT), false));
            }
        }
        log.debug("xmpp s2s {} resolves to {}", domain, targets);
        return targets;
    }

    private record Srv(SRVRecord record, boolean directTls) {
    }

    /**
     * RFC 2782: lowest priority first; within one priority, a weighted random order where each
     * record's chance is proportional to its weight.
     */
    private List<Srv> ordered(List<Srv> records) {
        TreeMap<Integer, List<Srv>> byPriority = new TreeMap<>();
        for (Srv s : records) {
            byPriority.computeIfAbsent(s.record.getPriority(), k -> new ArrayList<>()).add(s);
        }
        List<Srv> out = new ArrayList<>();
        for (List<Srv> group : byPriority.values()) {
            List<Srv> left = new ArrayList<>(group);
            left.sort(Comparator.comparingInt(s -> s.record.getWeight()));
            while (!left.isEmpty()) {
                int total = 0;
                for (Srv s : left) {
                    total += s.record.getWeight();
                }
                int pick = total == 0 ? 0 : random.nextInt(total + 1);
                int sum = 0;
                for (int i = 0; i < left.size(); i++) {
                    sum += left.get(i).record.getWeight();
                    if (sum >= pick) {
                        out.add(left.remove(i));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private List<SRVRecord> srv(String name) {
        List<SRVRecord> out = new ArrayList<>();
        for (Record r : lookup(name, Type.SRV)) {
            if (r instanceof SRVRecord s) {
                out.add(s);
            }
        }
        return out;
    }

    private List<InetAddress> addresses(String host) {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : lookup(host, Type.A)) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress());
            }
        }
        for (Record r : lookup(host, Type.AAAA)) {
            if (r instanceof AAAARecord a) {
                out.add(a.getAddress());
            }
        }
        return out;
    }

    /** The records of one type at a name, from DNS or (for addresses) the hosts file; none on any failure. */
    private Record[] lookup(String name, int type) {
        try {
            Lookup lookup = new Lookup(Name.fromString(name, Name.root), type);
            lookup.setResolver(resolver);
            lookup.setCache(cache);
            Record[] records = lookup.run();
            return records == null ? new Record[0] : records;
        } catch (TextParseException e) {
            return new Record[0];
        }
    }
}
