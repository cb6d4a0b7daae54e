package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlElement;
import java.util.Objects;

/**
 * The peer broke the rules of the stream; the receiver MUST close the stream with a stream error
 * (RFC 6120 §4.9.1.1). The decoder that reports it discards all further input until it is reset.
 *
 * @param error the condition to send
 * @param text  a description for logs; it names what was violated (a limit, an XML rule) and never
 *              echoes the peer's data, so it may also be sent as the error's {@code <text/>}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-4.9">RFC 6120 §4.9</a>
 */
public record StreamViolation(StreamError error, String text) implements XmppStreamEvent {
    /** Creates the event. */
    public StreamViolation {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(text, "text");
    }

    /** The {@code <stream:error>} element to send, with {@link #text()} as its description. */
    public XmlElement toElement() {
        return error.toElement(text);
    }
}
