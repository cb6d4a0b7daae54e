package dev.mu.xmpp.core.stanza;

import java.util.Locale;

/**
 * The {@code type} of a presence stanza.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-4.7.1">RFC 6121 §4.7.1</a>
 */
public enum PresenceType {
    /** No {@code type} attribute: the sender is available. */
    AVAILABLE,
    /** The sender is no longer available. */
    UNAVAILABLE,
    /** A request to subscribe to the recipient's presence. */
    SUBSCRIBE,
    /** The sender has allowed the recipient's subscription. */
    SUBSCRIBED,
    /** The sender is unsubscribing from the recipient's presence. */
    UNSUBSCRIBE,
    /** The sender has cancelled or denied the recipient's subscription. */
    UNSUBSCRIBED,
    /** A server's request for an account's current presence. */
    PROBE,
    /** An error reply. */
    ERROR;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code type} attribute, or {@code null} for {@link #AVAILABLE}, which has none. */
    public String attributeValue() {
        return this == AVAILABLE ? null : value;
    }

    /** The type for an attribute value: {@link #AVAILABLE} when absent, {@code null} if unknown. */
    public static PresenceType fromAttribute(String value) {
        if (value == null) {
            return AVAILABLE;
        }
        for (PresenceType t : values()) {
            if (t != AVAILABLE && t.value.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
