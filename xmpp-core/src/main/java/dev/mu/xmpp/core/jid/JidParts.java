package dev.mu.xmpp.core.jid;

import dev.mu.xmpp.core.jid.JidFormatException.Part;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Splits a JID string and prepares each part with its PRECIS profile; stateless.
 *
 * <table>
 *   <caption>Limits (RFC 7622 §3.2–§3.4)</caption>
 *   <tr><th>What</th><th>Limit</th></tr>
 *   <tr><td>each part, UTF-8 octets after preparation</td><td>1..{@value #MAX_PART_OCTETS}</td></tr>
 *   <tr><td>each domain label, octets of its A-label</td><td>{@value #MAX_LABEL_OCTETS}</td></tr>
 *   <tr><td>input accepted before any PRECIS work</td><td>{@value #MAX_INPUT_CHARS} chars</td></tr>
 * </table>
 */
final class JidParts {

    /** RFC 7622 §3.2, §3.3, §3.4: each part MUST NOT be more than 1023 octets in length. */
    static final int MAX_PART_OCTETS = 1023;

    /** RFC 1035 §2.3.4, via RFC 7622 §3.2.1: labels are at most 63 octets. */
    static final int MAX_LABEL_OCTETS = 63;

    /**
     * Three parts of 1023 octets plus two separators; a string longer than this in chars is longer in
     * octets, so it is rejected before the comparatively expensive PRECIS rules run.
     */
    static final int MAX_INPUT_CHARS = 3 * MAX_PART_OCTETS + 2;

    private JidParts() {
    }

    /** Parses any JID string per RFC 7622 §3.1 into the matching lattice type. */
    static Jid parse(String input) {
        if (input == null) {
            throw new JidFormatException(Part.SHAPE, "null", null);
        }
        if (input.length() > MAX_INPUT_CHARS) {
            throw new JidFormatException(Part.SHAPE, "longer than " + MAX_INPUT_CHARS + " characters", input);
        }
        // RFC 7622 §3.1: the first '/' starts the resourcepart, which may itself contain '@' and '/';
        // the first '@' before it ends the localpart.
        int slash = input.indexOf('/');
        String beforeResource = slash < 0 ? input : input.substring(0, slash);
        String resource = slash < 0 ? null : input.substring(slash + 1);
        int at = beforeResource.indexOf('@');
        String local = at < 0 ? null : beforeResource.substring(0, at);
        String domain = at < 0 ? beforeResource : beforeResource.substring(at + 1);
        return Jid.of(local, domain, resource);
    }

    /** Prepares a localpart: UsernameCaseMapped plus the characters RFC 7622 §3.3.1 forbids. */
    static String local(String local) {
        if (local.isEmpty()) {
            throw new JidFormatException(Part.LOCAL, "empty localpart", local);
        }
        checkRawLength(Part.LOCAL, local);
        if (isPreparedAscii(local, true)) {
            return local;
        }
        String prepared;
        try {
            prepared = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(local);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException(Part.LOCAL, "not a UsernameCaseMapped string (" + e.getMessage() + ")", local, e);
        }
        // Checked after preparation because width mapping turns the fullwidth forms of the forbidden
        // characters into them.
        for (int i = 0; i < prepared.length(); i++) {
            char c = prepared.charAt(i);
            if (isForbiddenInLocal(c)) {
                throw new JidFormatException(Part.LOCAL, "forbidden character '" + c + "'", local);
            }
        }
        checkOctets(Part.LOCAL, prepared, local);
        return prepared;
    }

    /**
     * Whether a part is printable ASCII that its profile leaves as it is, so that PRECIS can be
     * skipped: such characters are PVALID in both string classes (RFC 8264 §9.11), and width
     * mapping, normalization and the bidi rule do not change or reject them. A localpart must also
     * be lowercase (UsernameCaseMapped maps case) and free of the characters RFC 7622 §3.3.1
     * forbids. An ASCII part over the octet limit takes the full path, which rejects it.
     */
    static boolean isPreparedAscii(String part, boolean local) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
            if (local && ((c >= 'A' && c <= 'Z') || isForbiddenInLocal(c))) {
                return false;
            }
        }
        return part.length() <= MAX_PART_OCTETS;
    }

    /** RFC 7622 §3.3.1: the characters " &amp; ' / : &lt; &gt; @ MUST NOT appear in a localpart. */
    private static boolean isForbiddenInLocal(char c) {
        return c == '"' || c == '&' || c == '\'' || c == '/' || c == ':' || c == '<' || c == '>' || c == '@';
    }

    /** Prepares a resourcepart with the OpaqueString profile (RFC 7622 §3.4). */
    static String resource(String resource) {
        if (resource.isEmpty()) {
            throw new JidFormatException(Part.RESOURCE, "empty resourcepart", resource);
        }
        checkRawLength(Part.RESOURCE, resource);
        if (isPreparedAscii(resource, false)) {
            return resource;
        }
        String prepared;
        try {
            prepared = PrecisProfiles.OPAQUE_STRING.enforce(resource);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException(Part.RESOURCE, "not an OpaqueString (" + e.getMessage() + ")", resource, e);
        }
        checkOctets(Part.RESOURCE, prepared, resource);
        return prepared;
    }

    /** Prepares a domainpart: IP literal, or IDNA to U-labels, lowercased, without a trailing dot. */
    static String domain(String domain) {
        checkRawLength(Part.DOMAIN, domain);
        if (domain.startsWith("[")) {
            return ipv6Literal(domain);
        }
        // RFC 7622 §3.2: a final label separator MUST be stripped before the domainpart is compared or
        // routed; IDNA2003 (RFC 3490 §3.1) also counts the ideographic and fullwidth full stops.
        String mapped = domain.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.');
        if (mapped.endsWith(".")) {
            mapped = mapped.substring(0, mapped.length() - 1);
        }
        if (mapped.isEmpty()) {
            throw new JidFormatException(Part.DOMAIN, "empty domainpart", domain);
        }
        String prepared;
        try {
            // java.net.IDN implements IDNA2003 with the STD3 host name rules, not IDNA2008: it maps rather
            // than rejects a few code points (e.g. U+00DF to "ss"), which only ever makes it more lenient.
            prepared = IDN.toUnicode(IDN.toASCII(mapped, IDN.USE_STD3_ASCII_RULES), IDN.USE_STD3_ASCII_RULES)
                    .toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException(Part.DOMAIN, "not an IDNA domain name (" + e.getMessage() + ")", domain, e);
        }
        int start = 0;
        while (start <= prepared.length()) {
            int dot = prepared.indexOf('.', start);
            String label = prepared.substring(start, dot < 0 ? prepared.length() : dot);
            if (label.isEmpty()) {
                throw new JidFormatException(Part.DOMAIN, "empty label", domain);
            }
            if (IDN.toASCII(label).length() > MAX_LABEL_OCTETS) {
                throw new JidFormatException(Part.DOMAIN, "label longer than " + MAX_LABEL_OCTETS + " octets", domain);
            }
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        checkOctets(Part.DOMAIN, prepared, domain);
        return prepared;
    }

    /** RFC 7622 §3.2: an IPv6 address is written as an IP-literal of RFC 3986 §3.2.2. */
    private static String ipv6Literal(String domain) {
        if (domain.length() < 3 || !domain.endsWith("]")) {
            throw new JidFormatException(Part.DOMAIN, "unterminated IP literal", domain);
        }
        for (int i = 1; i < domain.length() - 1; i++) {
            char c = domain.charAt(i);
            // Restricting the alphabet guarantees InetAddress below parses a literal and never resolves a name.
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                throw new JidFormatException(Part.DOMAIN, "invalid IPv6 literal", domain);
            }
        }
        try {
            InetAddress.getByName(domain);
        } catch (UnknownHostException e) {
            throw new JidFormatException(Part.DOMAIN, "invalid IPv6 literal", domain, e);
        }
        return domain.toLowerCase(Locale.ROOT);
    }

    private static void checkRawLength(Part part, String raw) {
        // Preparation practically never shrinks a string fourfold, so a part of more than four chars per
        // allowed octet cannot end up valid; refusing it first keeps the PRECIS work bounded.
        if (raw.length() > 4 * MAX_PART_OCTETS) {
            throw new JidFormatException(part, "longer than " + MAX_PART_OCTETS + " octets", raw);
        }
    }

    private static void checkOctets(Part part, String prepared, String raw) {
        if (prepared.getBytes(StandardCharsets.UTF_8).length > MAX_PART_OCTETS) {
            throw new JidFormatException(part, "longer than " + MAX_PART_OCTETS + " octets", raw);
        }
    }
}
