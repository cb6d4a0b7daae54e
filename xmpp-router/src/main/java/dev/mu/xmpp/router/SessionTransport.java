package dev.mu.xmpp.router;

import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.xml.XmlElement;

/**
 * What the router needs from a client connection; implemented by the transport layer.
 *
 * <p>Implementations are thread-safe: the router writes from whichever thread routes a stanza.
 */
public interface SessionTransport {

    /** Queues a stanza for writing to the client. */
    void write(XmlElement stanza);

    /** Closes the stream, with a stream error when {@code error} is not null. */
    void close(StreamError error, String text);
}
