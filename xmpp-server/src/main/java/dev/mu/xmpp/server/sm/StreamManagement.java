package dev.mu.xmpp.server.sm;

import dev.mu.xmpp.core.xml.XmlElement;

/**
 * The elements of XEP-0198 version 3 ({@value #NAMESPACE}).
 *
 * @see <a href="https://xmpp.org/extensions/xep-0198.html">XEP-0198</a>
 */
public final class StreamManagement {

    /** The namespace of stream management version 3. */
    public static final String NAMESPACE = "urn:xmpp:sm:3";
    /** The namespace of the stanza error conditions used in {@code <failed/>}. */
    public static final String STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    /** XEP-0198 §2: the stream feature. */
    public static final XmlElement FEATURE = XmlElement.empty(NAMESPACE, "sm");
    /** XEP-0198 §4: an acknowledgement request. */
    public static final XmlElement REQUEST = XmlElement.empty(NAMESPACE, "r");

    /** The largest value of a sequence number: XEP-0198 §4 counts "modulo 2^32". */
    static final long MASK = 0xFFFF_FFFFL;

    private StreamManagement() {
    }

    /** XEP-0198 §4: an answer acknowledging {@code h} stanzas. */
    public static XmlElement ack(long h) {
        return XmlElement.builder(NAMESPACE, "a").attribute("h", Long.toString(h & MASK)).build();
    }

    /** XEP-0198 §3: stream management is on, resumable under {@code id} when it is not {@code null}. */
    public static XmlElement enabled(String id, long maxSeconds) {
        XmlElement.Builder b = XmlElement.builder(NAMESPACE, "enabled");
        if (id != null) {
            b.attribute("id", id).attribute("resume", "true").attribute("max", Long.toString(maxSeconds));
        }
        return b.build();
    }

    /** XEP-0198 §5: the stream {@code previd} is resumed; the server had handled {@code h} stanzas. */
    public static XmlElement resumed(String previd, long h) {
        return XmlElement.builder(NAMESPACE, "resumed").attribute("previd", previd)
                .attribute("h", Long.toString(h & MASK)).build();
    }

    /** XEP-0198 §3 and §5: a refusal with a stanza error condition, and {@code h} when known (negative: none). */
    public static XmlElement failed(String condition, long h) {
        XmlElement.Builder b = XmlElement.builder(NAMESPACE, "failed");
        if (h >= 0) {
            b.attribute("h", Long.toString(h & MASK));
        }
        return b.child(XmlElement.empty(STANZAS_NS, condition)).build();
    }

    /**
     * The {@code h} attribute of an {@code <a/>} or {@code <resume/>}: an unsigned 32-bit integer.
     *
     * @return the value, or -1 when it is missing or not such an integer
     */
    public static long h(XmlElement e) {
        String value = e.attribute("h");
        if (value == null || value.isEmpty() || value.length() > 10) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        long h = Long.parseLong(value);
        return h > MASK ? -1 : h;
    }
}
