package dev.mu.xmpp.core.xml;

/** A child of an {@link XmlElement}: either an element or character data. */
public sealed interface XmlNode permits XmlElement, XmlText {
}
