package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.Optional;

/** XEP-0049 private XML storage: one element per user, namespace and name. Thread-safe, durable. */
public interface PrivateXmlStore {

    /** The stored element with the given qualified name, if any. */
    Optional<XmlElement> get(EntityBareJid user, String namespace, String name);

    /** Stores the element, replacing the one with the same qualified name. */
    void put(EntityBareJid user, XmlElement element);

    /** Removes everything the user stored, when the account is deleted. */
    void deleteUser(EntityBareJid user);
}
