package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.xml.XmlElement;

/**
 * The elements of Server Dialback (XEP-0220): {@code <db:result/>} asks the receiving server to
 * accept a domain, {@code <db:verify/>} asks the authoritative server whether a key is its own.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0220.html">XEP-0220</a>
 */
final class Dialback {

    /** The namespace of {@code db:result} and {@code db:verify}, declared as {@code db} on s2s headers. */
    static final String NS = "jabber:server:dialback";
    /** The stream feature that announces dialback with error support (XEP-0220 §2.4.1). */
    static final String FEATURE_NS = "urn:xmpp:features:dialback";

    static final String RESULT = "result";
    static final String VERIFY = "verify";

    private Dialback() {
    }

    /** {@code <db:result from to>key</db:result>}: the originating server asks to send for {@code from}. */
    static XmlElement result(String from, String to, String key) {
        return XmlElement.builder(NS, RESULT).attribute("from", from).attribute("to", to).text(key).build();
    }

    /** The receiving server's answer to a {@code db:result}: {@code valid} or {@code invalid}. */
    static XmlElement resultAnswer(String from, String to, boolean valid) {
        return XmlElement.builder(NS, RESULT).attribute("from", from).attribute("to", to)
                .attribute("type", valid ? "valid" : "invalid").build();
    }

    /** XEP-0220 §2.4: a {@code db:result} the receiving server refuses with a stanza error condition. */
    static XmlElement resultError(String from, String to, StanzaError.Condition condition) {
        return XmlElement.builder(NS, RESULT).attribute("from", from).attribute("to", to).attribute("type", "error")
                .child(StanzaError.of(condition).toElement()).build();
    }

    /** {@code <db:verify from to id>key</db:verify>}: the receiving server asks the authoritative one. */
    static XmlElement verify(String from, String to, String id, String key) {
        return XmlElement.builder(NS, VERIFY).attribute("from", from).attribute("to", to).attribute("id", id)
                .text(key).build();
    }

    /** The authoritative server's answer to a {@code db:verify}. */
    static XmlElement verifyAnswer(String from, String to, String id, boolean valid) {
        return XmlElement.builder(NS, VERIFY).attribute("from", from).attribute("to", to).attribute("id", id)
                .attribute("type", valid ? "valid" : "invalid").build();
    }

    /** The stream feature, with {@code <errors/>} since this server understands dialback errors. */
    static XmlElement feature() {
        return XmlElement.builder(FEATURE_NS, "dialback").child(XmlElement.empty(FEATURE_NS, "errors")).build();
    }
}
