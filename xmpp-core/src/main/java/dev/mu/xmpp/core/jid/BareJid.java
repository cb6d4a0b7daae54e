package dev.mu.xmpp.core.jid;

/**
 * A JID without a resourcepart: an account ({@link EntityBareJid}) or a server or service
 * ({@link DomainJid}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3">RFC 7622 §3</a>
 */
public sealed interface BareJid extends Jid permits DomainJid, EntityBareJid {

    /**
     * This address with the given resourcepart.
     *
     * @throws JidFormatException if the resourcepart is invalid
     */
    FullJid withResource(String resource);

    @Override
    default String resource() {
        return null;
    }

    @Override
    default BareJid asBare() {
        return this;
    }

    /**
     * Parses a bare JID, through the cache of {@link Jid#of(String)}.
     *
     * @throws JidFormatException if the string is invalid or has a resourcepart
     */
    static BareJid of(String jid) {
        if (Jid.of(jid) instanceof BareJid b) {
            return b;
        }
        throw new JidFormatException(JidFormatException.Part.SHAPE, "expected a bare JID", jid);
    }
}
