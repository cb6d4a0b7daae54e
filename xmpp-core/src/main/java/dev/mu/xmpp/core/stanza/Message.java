package dev.mu.xmpp.core.stanza;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.xml.XmlElement;

/**
 * A message stanza: push content from one entity to another.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-5">RFC 6121 §5</a>
 */
public final class Message extends Stanza {

    /** The element name. */
    public static final String NAME = "message";

    private final MessageType type;

    private Message(XmlElement element, Jid to, Jid from) {
        super(element, to, from);
        this.type = MessageType.fromAttribute(element.attribute("type"));
    }

    /**
     * Wraps a {@code <message/>} element.
     *
     * @throws StanzaFormatException if it is not a message or an address is malformed
     */
    public static Message wrap(XmlElement element) {
        if (!element.is(XmlElement.CONTENT_NS, NAME)) {
            throw StanzaFormatException.badRequest("not a message: " + element.qName());
        }
        return new Message(element, address(element, "to"), address(element, "from"));
    }

    /** Starts a builder for a new message. */
    public static Builder builder() {
        return new Builder();
    }

    /** The type; {@link MessageType#NORMAL} when absent or not understood. */
    public MessageType type() {
        return type;
    }

    /** The body in the stanza's language (or without one), else the first body, else {@code null}. */
    public String body() {
        return localizedText("body");
    }

    /** The subject in the stanza's language (or without one), else the first subject, else {@code null}. */
    public String subject() {
        return localizedText("subject");
    }

    /** The conversation thread identifier, or {@code null} (RFC 6121 §5.2.5). */
    public String thread() {
        XmlElement thread = element().firstChild(XmlElement.CONTENT_NS, "thread");
        return thread == null ? null : thread.text();
    }

    @Override
    public Message withFrom(Jid from) {
        return (Message) super.withFrom(from);
    }

    @Override
    public Message withTo(Jid to) {
        return (Message) super.withTo(to);
    }

    @Override
    public Message withFromAndTo(Jid from, Jid to) {
        return (Message) super.withFromAndTo(from, to);
    }

    @Override
    public Message errorReply(StanzaError error) {
        return (Message) super.errorReply(error);
    }

    @Override
    Message rewrap(XmlElement element, Jid to, Jid from) {
        return new Message(element, to, from);
    }

    /** Builds a {@link Message}; not thread-safe. */
    public static final class Builder extends Stanza.Builder<Builder, Message> {

        private Builder() {
            super(NAME);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The type; {@link MessageType#NORMAL} or {@code null} leaves the attribute out, which means normal. */
        public Builder type(MessageType type) {
            element.attribute("type", type == null || type == MessageType.NORMAL ? null : type.attributeValue());
            return this;
        }

        /** The body; replaces any previous one. */
        public Builder body(String body) {
            return textChild("body", body);
        }

        /** The subject; replaces any previous one. */
        public Builder subject(String subject) {
            return textChild("subject", subject);
        }

        /** The thread identifier; replaces any previous one. */
        public Builder thread(String thread) {
            return textChild("thread", thread);
        }

        @Override
        public Message build() {
            return wrap(element.build());
        }
    }
}
