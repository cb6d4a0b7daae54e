package dev.mu.xmpp.router;

import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A {@link SessionTransport} that queues what the router writes and remembers how it was closed. Thread-safe. */
public final class RecordingTransport implements SessionTransport {

    final ConcurrentLinkedQueue<XmlElement> written = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private volatile StreamError closeError;
    private volatile String closeText;

    @Override
    public void write(XmlElement stanza) {
        if (closed) {
            throw new IllegalStateException("write after close: " + stanza);
        }
        written.add(stanza);
    }

    @Override
    public void close(StreamError error, String text) {
        closed = true;
        closeError = error;
        closeText = text;
    }

    /** Whether the router closed the stream. */
    public boolean isClosed() {
        return closed;
    }

    /** The stream error the stream was closed with, or {@code null}. */
    public StreamError closeError() {
        return closeError;
    }

    /** The text the stream was closed with, or {@code null}. */
    public String closeText() {
        return closeText;
    }
}
