package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlElement;
import java.util.Objects;

/**
 * One first-level child of the stream: a stanza ({@code <message/>}, {@code <presence/>},
 * {@code <iq/>}) or a nonza ({@code <starttls/>}, {@code <auth/>}, {@code <stream:features/>}, ...).
 *
 * <p>Elements in the stream's content namespace carry {@link XmlElement#CONTENT_NS}; others keep
 * their namespace, e.g. {@code urn:ietf:params:xml:ns:xmpp-tls}.
 *
 * @param element   the complete, immutable element
 * @param wireBytes the number of raw bytes it took on the wire, including whitespace that preceded
 *                  it since the previous first-level element; for rate limits and accounting
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-4.1">RFC 6120 §4.1</a>
 */
public record StreamElement(XmlElement element, int wireBytes) implements XmppStreamEvent {
    /** Creates the event. */
    public StreamElement {
        Objects.requireNonNull(element, "element");
    }
}
