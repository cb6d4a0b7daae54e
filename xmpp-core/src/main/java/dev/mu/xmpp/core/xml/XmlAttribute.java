package dev.mu.xmpp.core.xml;

import java.util.Objects;

/**
 * One attribute of an element.
 *
 * @param namespace the attribute's namespace URI, {@code ""} for the usual unqualified attribute,
 *                  {@link XmlElement#XML_NS} for {@code xml:lang}
 * @param name      the local name
 * @param value     the unescaped value
 */
public record XmlAttribute(String namespace, String name, String value) {
    /** Creates an attribute. */
    public XmlAttribute {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** An unqualified attribute. */
    public static XmlAttribute of(String name, String value) {
        return new XmlAttribute("", name, value);
    }
}
