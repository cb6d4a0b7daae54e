package dev.mu.xmpp.core.jid;

/**
 * A bare JID with a localpart, typically an account: {@code juliet@example.com}.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3.3">RFC 7622 §3.3</a>
 */
public final class EntityBareJid implements BareJid {

    private final String local;
    private final String domain;
    private final String string;

    EntityBareJid(String preparedLocal, String preparedDomain) {
        this.local = preparedLocal;
        this.domain = preparedDomain;
        this.string = preparedLocal + '@' + preparedDomain;
    }

    /**
     * Parses an entity bare JID, through the cache of {@link Jid#of(String)}.
     *
     * @throws JidFormatException if the string is invalid, lacks a localpart or has a resourcepart
     */
    public static EntityBareJid of(String jid) {
        if (Jid.of(jid) instanceof EntityBareJid e) {
            return e;
        }
        throw new JidFormatException(JidFormatException.Part.SHAPE, "expected local@domain", jid);
    }

    /**
     * Builds an entity bare JID from its unprepared parts.
     *
     * @throws JidFormatException if a part is invalid
     */
    public static EntityBareJid of(String local, String domain) {
        if (local == null) {
            throw new JidFormatException(JidFormatException.Part.LOCAL, "missing localpart", domain);
        }
        return (EntityBareJid) Jid.of(local, domain, null);
    }

    @Override
    public String local() {
        return local;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public DomainJid asDomain() {
        return new DomainJid(domain);
    }

    @Override
    public FullJid withResource(String resource) {
        return new FullJid(this, JidParts.resource(resource));
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof EntityBareJid e && string.equals(e.string);
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
