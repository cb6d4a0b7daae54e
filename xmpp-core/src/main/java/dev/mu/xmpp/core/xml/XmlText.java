package dev.mu.xmpp.core.xml;

import java.util.Objects;

/**
 * Character data inside an element, unescaped.
 *
 * @param text the text as the application sees it (entities already resolved)
 */
public record XmlText(String text) implements XmlNode {
    /** Creates a text node. */
    public XmlText {
        Objects.requireNonNull(text, "text");
    }
}
