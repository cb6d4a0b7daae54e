package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.VCardStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** vCards in memory; lost when the process ends. Thread-safe. */
public final class InMemoryVCardStore implements VCardStore {

    private final Map<EntityBareJid, XmlElement> vcards = new ConcurrentHashMap<>();

    @Override
    public Optional<XmlElement> get(EntityBareJid user) {
        return Optional.ofNullable(vcards.get(user));
    }

    @Override
    public void put(EntityBareJid user, XmlElement vcard) {
        vcards.put(user, vcard);
    }

    @Override
    public void deleteUser(EntityBareJid user) {
        vcards.remove(user);
    }
}
