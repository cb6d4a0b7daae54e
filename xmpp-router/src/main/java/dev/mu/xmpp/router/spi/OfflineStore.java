package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import java.time.Instant;
import java.util.List;

/**
 * Messages kept for users who are offline (RFC 6121 §8.5.2.1.1, XEP-0160).
 *
 * <p>Thread-safe. {@link #store} is durable when it returns: the server treats the message as
 * delivered offline only then.
 */
public interface OfflineStore {

    /**
     * Keeps a message for the user.
     *
     * @param limit the most messages the user may have waiting
     * @return false, storing nothing, when the user already has {@code limit} messages waiting
     */
    boolean store(EntityBareJid user, XmlElement message, Instant received, int limit);

    /** The user's waiting messages, oldest first. */
    List<OfflineMessage> peek(EntityBareJid user);

    /** Removes the given messages, once they have been handed to the user. */
    void remove(EntityBareJid user, List<OfflineMessage> delivered);

    /** Removes every message of the user, when the account is deleted. */
    void deleteUser(EntityBareJid user);
}
