package dev.mu.xmpp.core.stanza;

import java.util.Objects;

/**
 * Thrown when an element is not a valid stanza; carries the stanza error to answer the sender with.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8.3">RFC 6120 §8.3</a>
 */
public final class StanzaFormatException extends IllegalArgumentException {

    private final StanzaError error;

    /**
     * Creates an exception.
     *
     * @param error   the error to return to the sender; its text, if any, is the message
     * @param message what is wrong, for logs
     * @param cause   the underlying failure, or {@code null}
     */
    public StanzaFormatException(StanzaError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** A {@code bad-request} with the reason as both message and error text. */
    static StanzaFormatException badRequest(String reason) {
        return new StanzaFormatException(StanzaError.of(StanzaError.Condition.BAD_REQUEST, reason), reason, null);
    }

    /** The stanza error to return to the sender. */
    public StanzaError error() {
        return error;
    }
}
