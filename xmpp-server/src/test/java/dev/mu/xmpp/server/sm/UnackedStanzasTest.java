package dev.mu.xmpp.server.sm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0198 §4 counting: acknowledgements drop what they cover, and never more than was sent. */
class UnackedStanzasTest {

    static XmlElement stanza(int n) {
        return XmlElement.builder("jabber:client", "message").attribute("id", Integer.toString(n)).build();
    }

    @Test
    void anAckDropsWhatItCoversAndKeepsTheRestInOrder() {
        UnackedStanzas q = new UnackedStanzas();
        for (int i = 1; i <= 5; i++) {
            q.add(stanza(i));
        }
        assertTrue(q.ack(3));
        assertEquals(List.of(stanza(4), stanza(5)), q.pending());
        assertTrue(q.ack(3), "a repeated ack is harmless");
        assertEquals(2, q.size());
    }

    @Test
    void anAckOfMoreThanWasSentIsRefusedAndChangesNothing() {
        UnackedStanzas q = new UnackedStanzas();
        q.add(stanza(1));
        assertFalse(q.ack(2));
        assertEquals(1, q.size());
    }

    @Test
    void hIsAnUnsigned32BitInteger() {
        assertEquals(0, StreamManagement.h(XmlElement.builder(StreamManagement.NAMESPACE, "a").attribute("h", "0").build()));
        assertEquals(-1, StreamManagement.h(XmlElement.builder(StreamManagement.NAMESPACE, "a").attribute("h", "4294967296").build()));
        assertEquals(4294967295L,
                StreamManagement.h(XmlElement.builder(StreamManagement.NAMESPACE, "a").attribute("h", "4294967295").build()));
    }

    @Test
    void dueForRequestEveryNStanzas() {
        UnackedStanzas q = new UnackedStanzas();
        q.add(stanza(1));
        assertFalse(q.dueForRequest(2));
        q.add(stanza(2));
        assertTrue(q.dueForRequest(2));
        assertFalse(q.dueForRequest(2));
    }
}
