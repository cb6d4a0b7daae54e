package dev.mu.xmpp.router.memory;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.PrivateXmlStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Private XML in memory; lost when the process ends. Thread-safe. */
public final class InMemoryPrivateXmlStore implements PrivateXmlStore {

    private record Key(EntityBareJid user, String namespace, String name) {
    }

    private final Map<Key, XmlElement> elements = new ConcurrentHashMap<>();

    @Override
    public Optional<XmlElement> get(EntityBareJid user, String namespace, String name) {
        return Optional.ofNullable(elements.get(new Key(user, namespace, name)));
    }

    @Override
    public void put(EntityBareJid user, XmlElement element) {
        elements.put(new Key(user, element.namespace(), element.name()), element);
    }

    @Override
    public void deleteUser(EntityBareJid user) {
        elements.keySet().removeIf(k -> k.user().equals(user));
    }
}
