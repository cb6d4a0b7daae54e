package dev.mu.xmpp.server;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which remote domains this server federates with: a domain on the deny list never, and when the
 * allow list is not empty only the domains on it. Immutable and thread-safe.
 */
record DomainPolicy(Set<String> allow, Set<String> deny) {

    /** A policy from the configured lists; domains are compared ignoring case. */
    static DomainPolicy of(Collection<String> allow, Collection<String> deny) {
        return new DomainPolicy(lower(allow), lower(deny));
    }

    /** Whether stanzas may be exchanged with {@code domain}. */
    boolean permits(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return !deny.contains(d) && (allow.isEmpty() || allow.contains(d));
    }

    private static Set<String> lower(Collection<String> domains) {
        return domains.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
