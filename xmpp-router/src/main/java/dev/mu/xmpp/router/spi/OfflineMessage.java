package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.xml.XmlElement;
import java.time.Instant;
import java.util.Objects;

/**
 * A message kept for a user who had no available resource when it arrived.
 *
 * @param id       the store's key for it, increasing in arrival order
 * @param message  the message as routed, {@code from} and {@code to} set
 * @param received when the server received it, for the XEP-0203 delay stamp
 */
public record OfflineMessage(long id, XmlElement message, Instant received) {
    /** Creates an offline message. */
    public OfflineMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(received, "received");
    }
}
