package dev.mu.xmpp.server.sm;

import dev.mu.xmpp.core.xml.XmlElement;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The stanzas sent on a managed stream that the client has not acknowledged yet, in order, with the
 * count of everything sent (XEP-0198 §4).
 *
 * <p>Not thread-safe: its {@link ClientStream} guards it.
 */
final class UnackedStanzas {

    private final ArrayDeque<XmlElement> queue = new ArrayDeque<>();
    /** Stanzas sent since stream management was enabled, modulo 2^32. */
    private long sent;
    private int sinceRequest;

    /** Adds a stanza about to be sent. */
    void add(XmlElement stanza) {
        queue.addLast(stanza);
        sent = (sent + 1) & StreamManagement.MASK;
        sinceRequest++;
    }

    /** Whether enough stanzas went out since the last {@code <r/>} to ask again; resets the count when so. */
    boolean dueForRequest(int every) {
        if (sinceRequest >= every) {
            sinceRequest = 0;
            return true;
        }
        return false;
    }

    /**
     * Drops the stanzas the client's {@code h} acknowledges.
     *
     * @return false when {@code h} acknowledges stanzas never sent (XEP-0198 §4), leaving the queue as is
     */
    boolean ack(long h) {
        long acked = (sent - queue.size()) & StreamManagement.MASK;
        long newly = (h - acked) & StreamManagement.MASK;
        if (newly > queue.size()) {
            return false;
        }
        for (long i = 0; i < newly; i++) {
            queue.removeFirst();
        }
        return true;
    }

    /** The stanzas sent so far, modulo 2^32. */
    long sent() {
        return sent;
    }

    int size() {
        return queue.size();
    }

    /** The unacknowledged stanzas, oldest first. */
    List<XmlElement> pending() {
        return List.copyOf(queue);
    }

    /** Empties the queue and returns what it held, oldest first. */
    List<XmlElement> drain() {
        List<XmlElement> all = List.copyOf(queue);
        queue.clear();
        return all;
    }
}
