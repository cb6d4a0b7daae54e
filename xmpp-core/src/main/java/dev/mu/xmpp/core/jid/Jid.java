package dev.mu.xmpp.core.jid;

/**
 * An XMPP address: {@code [localpart@]domainpart[/resourcepart]}, each part already prepared and
 * enforced with its PRECIS profile, so {@link #toString()} is the normalised form and two JIDs are
 * equal exactly when their normalised forms are.
 *
 * <p>The lattice tells the compiler which kind of address a method takes:
 * <pre>
 * Jid
 * ├── BareJid        (no resource)
 * │   ├── DomainJid      example.com
 * │   └── EntityBareJid  juliet@example.com
 * └── FullJid        juliet@example.com/balcony, example.com/res
 * </pre>
 *
 * <p>All implementations are immutable and safe to share between threads.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622">RFC 7622</a>
 */
public sealed interface Jid permits BareJid, FullJid {

    /** How many parsed JIDs the cache behind {@link #of(String)} holds at most. */
    int CACHE_MAX_ENTRIES = 4096;

    /** The prepared localpart, or {@code null} when there is none. */
    String local();

    /** The prepared domainpart, never {@code null}. */
    String domain();

    /** The prepared resourcepart, or {@code null} when there is none. */
    String resource();

    /** This address without its resourcepart; {@code this} when there is none. */
    BareJid asBare();

    /** The domainpart alone as a JID. */
    DomainJid asDomain();

    /** Whether there is a localpart. */
    default boolean hasLocal() {
        return local() != null;
    }

    /** Whether there is a resourcepart. */
    default boolean hasResource() {
        return resource() != null;
    }

    /** The normalised string form, {@code [local@]domain[/resource]}. */
    @Override
    String toString();

    /**
     * Parses and prepares a JID without consulting the cache.
     *
     * @throws JidFormatException if the string is not a valid JID
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3.1">RFC 7622 §3.1</a>
     */
    static Jid parse(String jid) {
        return JidParts.parse(jid);
    }

    /**
     * Parses a JID through a shared cache of recently seen addresses, for the stanza hot path where the
     * same few thousand {@code to}/{@code from} values recur; the cache holds at most
     * {@value #CACHE_MAX_ENTRIES} entries and never invalid strings.
     *
     * @throws JidFormatException if the string is not a valid JID
     */
    static Jid of(String jid) {
        return JidCache.SHARED.get(jid);
    }

    /**
     * Builds a JID from its unprepared parts.
     *
     * @param local    the localpart, or {@code null}
     * @param domain   the domainpart
     * @param resource the resourcepart, or {@code null}
     * @throws JidFormatException if a part is invalid
     */
    static Jid of(String local, String domain, String resource) {
        if (domain == null) {
            throw new JidFormatException(JidFormatException.Part.DOMAIN, "missing domainpart", null);
        }
        String d = JidParts.domain(domain);
        String l = local == null ? null : JidParts.local(local);
        String r = resource == null ? null : JidParts.resource(resource);
        BareJid bare = l == null ? new DomainJid(d) : new EntityBareJid(l, d);
        return r == null ? bare : new FullJid(bare, r);
    }
}
