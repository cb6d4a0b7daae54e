package dev.mu.xmpp.core.stanza;

import java.util.Locale;

/**
 * The {@code type} of an IQ stanza.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8.2.3">RFC 6120 §8.2.3</a>
 */
public enum IqType {
    /** A request for information. */
    GET,
    /** A request to provide data or change state. */
    SET,
    /** A successful response. */
    RESULT,
    /** A failed response. */
    ERROR;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code type} attribute. */
    public String attributeValue() {
        return value;
    }

    /** Whether this type is a request, which must be answered. */
    public boolean isRequest() {
        return this == GET || this == SET;
    }

    /** The type for an attribute value, or {@code null} when absent or unknown. */
    public static IqType fromAttribute(String value) {
        for (IqType t : values()) {
            if (t.value.equals(value)) {
                return t;
            }
        }
        return null;
    }
}
