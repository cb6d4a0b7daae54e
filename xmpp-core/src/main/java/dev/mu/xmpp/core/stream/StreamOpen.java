package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The peer's stream header, {@code <stream:stream>} (RFC 6120 §4.7).
 *
 * <p>The decoder has checked the stream namespace and prefix and that the content namespace is one
 * it accepts (RFC 6120 §4.8); the values of {@code to}, {@code from}, {@code id} and {@code version}
 * are the caller's to check (RFC 6120 §4.7.1-§4.7.5).
 *
 * @param contentNamespace      the default namespace of the stream, {@code jabber:client} or
 *                              {@code jabber:server}; elements in it are reported with
 *                              {@link XmlElement#CONTENT_NS}
 * @param attributes            every attribute of the header in document order, including {@code to},
 *                              {@code from}, {@code id}, {@code version} and {@code xml:lang}
 *                              (namespace {@link XmlElement#XML_NS})
 * @param namespaceDeclarations every namespace declared on the header, prefix to namespace name in
 *                              document order, the default namespace under {@code ""}; e.g.
 *                              {@code db -> jabber:server:dialback} on server-to-server streams
 */
public record StreamOpen(String contentNamespace, List<XmlAttribute> attributes,
                         Map<String, String> namespaceDeclarations) implements XmppStreamEvent {

    /** Creates the event; the lists are expected to be immutable already. */
    public StreamOpen {
        Objects.requireNonNull(contentNamespace, "contentNamespace");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(namespaceDeclarations, "namespaceDeclarations");
    }

    /** The value of the unqualified attribute {@code name}, or {@code null}. */
    public String attribute(String name) {
        return attribute("", name);
    }

    /** The value of the attribute {@code name} in {@code namespace}, or {@code null}. */
    public String attribute(String namespace, String name) {
        for (int i = 0; i < attributes.size(); i++) {
            XmlAttribute a = attributes.get(i);
            if (a.name().equals(name) && a.namespace().equals(namespace)) {
                return a.value();
            }
        }
        return null;
    }

    /** The {@code to} attribute, or {@code null}. */
    public String to() {
        return attribute("to");
    }

    /** The {@code from} attribute, or {@code null}. */
    public String from() {
        return attribute("from");
    }

    /** The {@code id} attribute, or {@code null}. */
    public String id() {
        return attribute("id");
    }

    /** The {@code version} attribute, or {@code null}; RFC 6120 §4.7.5 treats a missing one as 0.9. */
    public String version() {
        return attribute("version");
    }

    /** The {@code xml:lang} attribute, the stream's default language (RFC 6120 §4.7.4), or {@code null}. */
    public String lang() {
        return attribute(XmlElement.XML_NS, "lang");
    }
}
