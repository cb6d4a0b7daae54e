package dev.mu.xmpp.core.stanza;

import java.util.Locale;

/**
 * The {@code type} of a message stanza.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-5.2.2">RFC 6121 §5.2.2</a>
 */
public enum MessageType {
    /** A standalone message; also the meaning of an absent or unknown type. */
    NORMAL,
    /** One-to-one chat. */
    CHAT,
    /** Multi-user chat. */
    GROUPCHAT,
    /** An alert or notification that expects no reply. */
    HEADLINE,
    /** An error reply. */
    ERROR;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code type} attribute. */
    public String attributeValue() {
        return value;
    }

    /**
     * The type for an attribute value. RFC 6121 §5.2.2: a message with no type, or a type "the
     * application does not understand", MUST be considered of type normal.
     */
    public static MessageType fromAttribute(String value) {
        if (value != null) {
            for (MessageType t : values()) {
                if (t.value.equals(value)) {
                    return t;
                }
            }
        }
        return NORMAL;
    }
}
