package dev.mu.xmpp.core.jaxb;

/**
 * Thrown when a payload cannot be bound: the element does not match the annotated type, or the type
 * is not a JAXB root element.
 */
public final class PayloadBindingException extends RuntimeException {

    /**
     * Creates an exception.
     *
     * @param message what could not be bound
     * @param cause   the JAXB failure, or {@code null}
     */
    public PayloadBindingException(String message, Throwable cause) {
        super(message, cause);
    }
}
