package dev.mu.xmpp.core.jid;

/**
 * A JID with a resourcepart: a connected client {@code juliet@example.com/balcony}, or a resource of
 * a server or component {@code example.com/res}, which has no localpart.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3.4">RFC 7622 §3.4</a>
 */
public final class FullJid implements Jid {

    private final BareJid bare;
    private final String resource;
    private final String string;

    FullJid(BareJid bare, String preparedResource) {
        this.bare = bare;
        this.resource = preparedResource;
        this.string = bare + "/" + preparedResource;
    }

    /**
     * Parses a full JID, through the cache of {@link Jid#of(String)}.
     *
     * @throws JidFormatException if the string is invalid or has no resourcepart
     */
    public static FullJid of(String jid) {
        if (Jid.of(jid) instanceof FullJid f) {
            return f;
        }
        throw new JidFormatException(JidFormatException.Part.SHAPE, "expected a resourcepart", jid);
    }

    /**
     * Builds a full JID from its unprepared parts.
     *
     * @param local    the localpart, or {@code null} for a domain's resource
     * @param domain   the domainpart
     * @param resource the resourcepart
     * @throws JidFormatException if a part is invalid or the resourcepart is missing
     */
    public static FullJid of(String local, String domain, String resource) {
        if (resource == null) {
            throw new JidFormatException(JidFormatException.Part.RESOURCE, "missing resourcepart", domain);
        }
        return (FullJid) Jid.of(local, domain, resource);
    }

    @Override
    public String local() {
        return bare.local();
    }

    @Override
    public String domain() {
        return bare.domain();
    }

    @Override
    public String resource() {
        return resource;
    }

    @Override
    public BareJid asBare() {
        return bare;
    }

    @Override
    public DomainJid asDomain() {
        return bare.asDomain();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof FullJid f && string.equals(f.string);
    }

    @Override
    public int hashCode() {
        return string.hashCode();
    }

    @Override
    public String toString() {
        return string;
    }
}
