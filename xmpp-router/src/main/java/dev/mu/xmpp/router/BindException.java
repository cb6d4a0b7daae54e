package dev.mu.xmpp.router;

import dev.mu.xmpp.core.stanza.StanzaError;

/** Resource binding failed; carries the stanza error the bind request is answered with (RFC 6120 §7.6.2). */
public final class BindException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient StanzaError error;

    BindException(StanzaError error, String message) {
        super(message);
        this.error = error;
    }

    /** The stanza error to answer the bind request with. */
    public StanzaError error() {
        return error;
    }
}
