package dev.mu.xmpp.core.stanza;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.Locale;

/**
 * A presence stanza: availability broadcast and subscription management.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-4">RFC 6121 §4</a>
 */
public final class Presence extends Stanza {

    /** The element name. */
    public static final String NAME = "presence";

    /** The lowest priority (RFC 6121 §4.7.2.3). */
    public static final int MIN_PRIORITY = -128;

    /** The highest priority (RFC 6121 §4.7.2.3). */
    public static final int MAX_PRIORITY = 127;

    /**
     * The availability sub-state carried by {@code <show/>}.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-4.7.2.1">RFC 6121 §4.7.2.1</a>
     */
    public enum Show {
        /** Temporarily away. */
        AWAY,
        /** Actively interested in chatting. */
        CHAT,
        /** Do not disturb. */
        DND,
        /** Extended away. */
        XA;

        private final String value = name().toLowerCase(Locale.ROOT);

        /** The character data of {@code <show/>}. */
        public String elementText() {
            return value;
        }

        /** The value for the text of {@code <show/>}, or {@code null} if it is not one. */
        public static Show fromElementText(String text) {
            for (Show s : values()) {
                if (s.value.equals(text)) {
                    return s;
                }
            }
            return null;
        }
    }

    private final PresenceType type;
    private final Show show;
    private final int priority;

    private Presence(XmlElement element, Jid to, Jid from) {
        super(element, to, from);
        this.type = PresenceType.fromAttribute(element.attribute("type"));
        if (type == null) {
            throw StanzaFormatException.badRequest("unknown presence type '" + element.attribute("type") + "'");
        }
        XmlElement showElement = element.firstChild(XmlElement.CONTENT_NS, "show");
        if (showElement == null) {
            this.show = null;
        } else {
            // RFC 6121 §4.7.2.1: the character data MUST be one of away, chat, dnd, xa.
            this.show = Show.fromElementText(showElement.text().strip());
            if (show == null) {
                throw StanzaFormatException.badRequest("invalid show");
            }
        }
        this.priority = priority(element);
    }

    private static int priority(XmlElement element) {
        XmlElement p = element.firstChild(XmlElement.CONTENT_NS, "priority");
        if (p == null) {
            return 0;
        }
        // RFC 6121 §4.7.2.3: "The value MUST be an integer between -128 and +127".
        int value;
        try {
            value = Integer.parseInt(p.text().strip());
        } catch (NumberFormatException e) {
            throw StanzaFormatException.badRequest("priority is not an integer");
        }
        if (value < MIN_PRIORITY || value > MAX_PRIORITY) {
            throw StanzaFormatException.badRequest("priority out of range");
        }
        return value;
    }

    /**
     * Wraps a {@code <presence/>} element.
     *
     * @throws StanzaFormatException if it is not a presence, an address is malformed, or the type,
     *                               show or priority is invalid
     */
    public static Presence wrap(XmlElement element) {
        if (!element.is(XmlElement.CONTENT_NS, NAME)) {
            throw StanzaFormatException.badRequest("not a presence: " + element.qName());
        }
        return new Presence(element, address(element, "to"), address(element, "from"));
    }

    /** Starts a builder for a new presence; without a type it announces availability. */
    public static Builder builder() {
        return new Builder();
    }

    /** The type; {@link PresenceType#AVAILABLE} when absent. */
    public PresenceType type() {
        return type;
    }

    /** The availability sub-state, or {@code null} when absent (plain "online"). */
    public Show show() {
        return show;
    }

    /** The priority, 0 when absent (RFC 6121 §4.7.2.3). */
    public int priority() {
        return priority;
    }

    /** The status text in the stanza's language (or without one), else the first, else {@code null}. */
    public String status() {
        return localizedText("status");
    }

    @Override
    public Presence withFrom(Jid from) {
        return (Presence) super.withFrom(from);
    }

    @Override
    public Presence withTo(Jid to) {
        return (Presence) super.withTo(to);
    }

    @Override
    public Presence withFromAndTo(Jid from, Jid to) {
        return (Presence) super.withFromAndTo(from, to);
    }

    @Override
    public Presence errorReply(StanzaError error) {
        return (Presence) super.errorReply(error);
    }

    @Override
    Presence rewrap(XmlElement element, Jid to, Jid from) {
        return new Presence(element, to, from);
    }

    /** Builds a {@link Presence}; not thread-safe. */
    public static final class Builder extends Stanza.Builder<Builder, Presence> {

        private Builder() {
            super(NAME);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The type; {@link PresenceType#AVAILABLE} or {@code null} leaves the attribute out. */
        public Builder type(PresenceType type) {
            element.attribute("type", type == null ? null : type.attributeValue());
            return this;
        }

        /** The availability sub-state; {@code null} removes it. */
        public Builder show(Show show) {
            return textChild("show", show == null ? null : show.elementText());
        }

        /** The status text; replaces any previous one. */
        public Builder status(String status) {
            return textChild("status", status);
        }

        /**
         * The priority.
         *
         * @throws IllegalArgumentException outside {@value #MIN_PRIORITY}..{@value #MAX_PRIORITY}
         */
        public Builder priority(int priority) {
            if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
                throw new IllegalArgumentException("priority out of range: " + priority);
            }
            return textChild("priority", Integer.toString(priority));
        }

        @Override
        public Presence build() {
            return wrap(element.build());
        }
    }
}
