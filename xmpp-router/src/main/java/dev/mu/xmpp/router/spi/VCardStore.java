package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.Optional;

/** XEP-0054 vCards: one {@code <vCard xmlns='vcard-temp'/>} element per user. Thread-safe, durable. */
public interface VCardStore {

    /** The user's vCard, if one was published. */
    Optional<XmlElement> get(EntityBareJid user);

    /** Publishes or replaces the user's vCard. */
    void put(EntityBareJid user, XmlElement vcard);

    /** Removes the user's vCard, when the account is deleted. */
    void deleteUser(EntityBareJid user);
}
