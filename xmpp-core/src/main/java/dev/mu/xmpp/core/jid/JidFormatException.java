package dev.mu.xmpp.core.jid;

import java.util.Objects;

/**
 * Thrown when a string is not a valid JID, or is a valid JID of the wrong shape for the typed
 * factory it was given to (for example a full JID passed to {@link BareJid#of(String)}).
 *
 * <p>On the wire this maps to the stanza error {@code jid-malformed} (RFC 6120 §8.3.3.8); the
 * stanza package performs that mapping.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7622#section-3">RFC 7622 §3</a>
 */
public final class JidFormatException extends IllegalArgumentException {

    /** Which part of the address was rejected. */
    public enum Part {
        /** The localpart (RFC 7622 §3.3). */
        LOCAL,
        /** The domainpart (RFC 7622 §3.2). */
        DOMAIN,
        /** The resourcepart (RFC 7622 §3.4). */
        RESOURCE,
        /** The address as a whole: a part missing, or the wrong kind of JID for the factory used. */
        SHAPE
    }

    /** Longest prefix of the offending input quoted in the message, so hostile input stays out of logs. */
    private static final int MAX_QUOTED_INPUT = 64;

    private final Part part;
    private final String reason;

    /**
     * Creates an exception.
     *
     * @param part   the part that failed
     * @param reason why, in a few words
     * @param input  the offending input, quoted (truncated) in the message; may be null
     */
    public JidFormatException(Part part, String reason, String input) {
        this(part, reason, input, null);
    }

    /**
     * Creates an exception caused by a PRECIS or IDNA failure.
     *
     * @param part   the part that failed
     * @param reason why, in a few words
     * @param input  the offending input, quoted (truncated) in the message; may be null
     * @param cause  the underlying failure, or null
     */
    public JidFormatException(Part part, String reason, String input, Throwable cause) {
        super(message(part, reason, input), cause);
        this.part = Objects.requireNonNull(part, "part");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The part of the address that was rejected. */
    public Part part() {
        return part;
    }

    /** Why the part was rejected, without the input. */
    public String reason() {
        return reason;
    }

    private static String message(Part part, String reason, String input) {
        String m = "invalid JID " + part.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
        if (input == null) {
            return m;
        }
        String quoted = input.length() > MAX_QUOTED_INPUT ? input.substring(0, MAX_QUOTED_INPUT) + "..." : input;
        return m + " in '" + quoted + "'";
    }
}
