package dev.mu.xmpp.core.stream;

/**
 * The peer closed its stream with {@code </stream:stream>} (RFC 6120 §4.4); the decoder ignores
 * whatever follows until it is reset.
 */
public final class StreamClose implements XmppStreamEvent {

    /** The only instance; the event carries no data. */
    public static final StreamClose INSTANCE = new StreamClose();

    private StreamClose() {
    }

    @Override
    public String toString() {
        return "StreamClose";
    }
}
