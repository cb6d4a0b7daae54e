package dev.mu.xmpp.core.jid;

/**
 * A JID that is a domainpart alone, such as a server or component: {@code example.com}.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3.2">RFC 7622 §3.2</a>
 */
public final class DomainJid implements BareJid {

    private final String domain;

    DomainJid(String preparedDomain) {
        this.domain = preparedDomain;
    }

    /**
     * Parses a domain JID, through the cache of {@link Jid#of(String)}.
     *
     * @throws JidFormatException if the string is invalid or has a localpart or resourcepart
     */
    public static DomainJid of(String jid) {
        if (Jid.of(jid) instanceof DomainJid d) {
            return d;
        }
        throw new JidFormatException(JidFormatException.Part.SHAPE, "expected a domain JID", jid);
    }

    @Override
    public String local() {
        return null;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public DomainJid asDomain() {
        return this;
    }

    @Override
    public FullJid withResource(String resource) {
        return new FullJid(this, JidParts.resource(resource));
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof DomainJid d && domain.equals(d.domain);
    }

    @Override
    public int hashCode() {
        return domain.hashCode();
    }

    @Override
    public String toString() {
        return domain;
    }
}
