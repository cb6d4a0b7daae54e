package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.FullJid;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Read-only view of who is online, for modules such as last activity. Thread-safe. */
public interface PresenceDirectory {

    /** The user's resources that have sent available presence. */
    List<FullJid> availableResources(BareJid user);

    /** When the user's last available resource went offline since this server started, if it did. */
    Optional<Instant> lastUnavailable(BareJid user);
}
