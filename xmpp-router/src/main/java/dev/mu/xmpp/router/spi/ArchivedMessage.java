package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import java.time.Instant;
import java.util.Objects;

/**
 * One message in a user's archive (XEP-0313).
 *
 * @param id        the archive id, also the XEP-0359 stanza-id; unique per archive
 * @param with      the bare JID of the other party
 * @param timestamp when the server archived it
 * @param message   the message as delivered
 */
public record ArchivedMessage(String id, BareJid with, Instant timestamp, XmlElement message) {
    /** Creates an archived message. */
    public ArchivedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(with, "with");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(message, "message");
    }
}
