package dev.mu.xmpp.core.stanza;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.core.xml.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.namespace.QName;

/**
 * A message, presence or IQ stanza: an immutable, validated view over the element it was read from.
 *
 * <p>The element is kept as received, so payloads this server does not understand pass through
 * verbatim; {@code to} and {@code from} are parsed once, when the stanza is wrapped, through the cache
 * of {@link Jid#of(String)}. Copies such as {@link #withFrom(Jid)} replace the top element's
 * attributes and share its list of children.
 *
 * <p>Instances are immutable and safe to share between threads.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8">RFC 6120 §8</a>
 */
public abstract sealed class Stanza permits Message, Presence, Iq {

    /** The content namespace of client-to-server streams (RFC 6120 §4.8.3). */
    public static final String CLIENT_NS = "jabber:client";

    /** The content namespace of server-to-server streams (RFC 6120 §4.8.3). */
    public static final String SERVER_NS = "jabber:server";

    private final XmlElement element;
    private final Jid to;
    private final Jid from;

    Stanza(XmlElement element, Jid to, Jid from) {
        this.element = element;
        this.to = to;
        this.from = from;
    }

    /**
     * Wraps an element as the matching stanza type, validating it.
     *
     * <p>Callers should test {@link #isStanza(XmlElement)} first: any other top-level element is a
     * stream error ({@code unsupported-stanza-type}, RFC 6120 §4.9.3.21), not a stanza error, and is
     * rejected here with {@code bad-request}.
     *
     * @throws StanzaFormatException with {@code jid-malformed} for an invalid {@code to} or
     *                               {@code from}, {@code bad-request} for other violations
     */
    public static Stanza wrap(XmlElement element) {
        if (!element.namespace().equals(XmlElement.CONTENT_NS)) {
            throw StanzaFormatException.badRequest("not a stanza: " + element.qName());
        }
        return switch (element.name()) {
            case Message.NAME -> Message.wrap(element);
            case Presence.NAME -> Presence.wrap(element);
            case Iq.NAME -> Iq.wrap(element);
            default -> throw StanzaFormatException.badRequest("not a stanza: " + element.name());
        };
    }

    /** Whether the element is a {@code message}, {@code presence} or {@code iq} in the content namespace. */
    public static boolean isStanza(XmlElement element) {
        if (!element.namespace().equals(XmlElement.CONTENT_NS)) {
            return false;
        }
        String name = element.name();
        return name.equals(Message.NAME) || name.equals(Presence.NAME) || name.equals(Iq.NAME);
    }

    /** The element this stanza views, including every child as received. */
    public XmlElement element() {
        return element;
    }

    /** The intended recipient, or {@code null} when the {@code to} attribute is absent. */
    public Jid to() {
        return to;
    }

    /** The sender, or {@code null} when the {@code from} attribute is absent. */
    public Jid from() {
        return from;
    }

    /** The {@code id} attribute, or {@code null}. */
    public String id() {
        return element.attribute("id");
    }

    /** The {@code xml:lang} attribute, or {@code null} (RFC 6120 §8.1.5). */
    public String lang() {
        return element.attribute(XmlElement.XML_NS, "lang");
    }

    /** The raw {@code type} attribute, or {@code null}. */
    public String typeAttribute() {
        return element.attribute("type");
    }

    /** Whether this is a stanza of type {@code error}. */
    public boolean isError() {
        return "error".equals(typeAttribute());
    }

    /** The first child element with this qualified name, or {@code null}. */
    public XmlElement payload(QName qName) {
        return element.firstChild(qName.getNamespaceURI(), qName.getLocalPart());
    }

    /** The first child element with this qualified name, if any. */
    public Optional<XmlElement> findPayload(QName qName) {
        return Optional.ofNullable(payload(qName));
    }

    /**
     * The extended content (RFC 6120 §8.4): every child element outside the content namespace, in
     * document order. The stanza's own children such as {@code body}, {@code show} or {@code error}
     * are in the content namespace and are read through their accessors instead.
     */
    public List<XmlElement> payloads() {
        List<XmlElement> out = new ArrayList<>();
        for (XmlNode n : element.children()) {
            if (n instanceof XmlElement e && !e.namespace().equals(XmlElement.CONTENT_NS)) {
                out.add(e);
            }
        }
        return out;
    }

    /** A copy with {@code from} set, or removed when {@code null}. */
    public Stanza withFrom(Jid from) {
        return withFromAndTo(from, to);
    }

    /** A copy with {@code to} set, or removed when {@code null}. */
    public Stanza withTo(Jid to) {
        return withFromAndTo(from, to);
    }

    /** A copy with both addresses set, or removed where {@code null}; the children are shared. */
    public Stanza withFromAndTo(Jid from, Jid to) {
        XmlElement stamped = element.withAttributes("to", to == null ? null : to.toString(),
                "from", from == null ? null : from.toString());
        return rewrap(stamped, to, from);
    }

    /**
     * The error reply to this stanza: addresses swapped, type {@code error}, the same {@code id}, the
     * original children kept (RFC 6120 §8.3.1 allows the original XML) and the {@code <error/>} added.
     *
     * @throws IllegalStateException if this is itself an error: RFC 6120 §8.3.1, "An entity that
     *                               receives an error stanza MUST NOT respond to the stanza with a
     *                               further error stanza"
     */
    public Stanza errorReply(StanzaError error) {
        if (isError()) {
            throw new IllegalStateException("RFC 6120 §8.3.1: never answer an error with an error");
        }
        XmlElement.Builder b = XmlElement.builder(element.namespace(), element.name());
        for (XmlAttribute a : element.attributes()) {
            boolean replaced = a.namespace().isEmpty()
                    && (a.name().equals("to") || a.name().equals("from") || a.name().equals("type"));
            if (!replaced) {
                b.attribute(a.namespace(), a.name(), a.value());
            }
        }
        b.attribute("to", from == null ? null : from.toString())
                .attribute("from", to == null ? null : to.toString())
                .attribute("type", "error")
                .children(element.children())
                .child(error.toElement());
        return rewrap(b.build(), from, to);
    }

    /** The {@code <error/>} of an error stanza, or {@code null}. */
    public StanzaError error() {
        XmlElement e = element.firstChild(XmlElement.CONTENT_NS, "error");
        return e == null ? null : StanzaError.fromElement(e);
    }

    /** A stanza of this stanza's kind over a copy of its element with the given addresses. */
    abstract Stanza rewrap(XmlElement element, Jid to, Jid from);

    /** Parses an address attribute; RFC 6120 §8.3.3.8: a malformed address is {@code jid-malformed}. */
    static Jid address(XmlElement element, String attribute) {
        String value = element.attribute(attribute);
        if (value == null) {
            return null;
        }
        try {
            return Jid.of(value);
        } catch (JidFormatException e) {
            throw new StanzaFormatException(StanzaError.jidMalformed(e), "'" + attribute + "': " + e.getMessage(), e);
        }
    }

    /** The text of the first child {@code name} in the content namespace whose language is {@code lang}. */
    String localizedText(String name) {
        String lang = lang();
        XmlElement fallback = null;
        for (XmlNode n : element.children()) {
            if (n instanceof XmlElement e && e.is(XmlElement.CONTENT_NS, name)) {
                String l = e.attribute(XmlElement.XML_NS, "lang");
                // RFC 6120 §8.1.5: a child without xml:lang is in the stanza's language.
                if (l == null || l.equals(lang)) {
                    return e.text();
                }
                if (fallback == null) {
                    fallback = e;
                }
            }
        }
        return fallback == null ? null : fallback.text();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Stanza s && getClass() == s.getClass() && element.equals(s.element);
    }

    @Override
    public int hashCode() {
        return element.hashCode();
    }

    /** A debug rendering of the element; the wire form is written by the stream encoder. */
    @Override
    public String toString() {
        return element.toString();
    }

    /**
     * Builds a stanza element from scratch; not thread-safe.
     *
     * @param <B> the concrete builder, for chaining
     * @param <S> the stanza built
     */
    public abstract static sealed class Builder<B extends Builder<B, S>, S extends Stanza>
            permits Message.Builder, Presence.Builder, Iq.Builder {

        final XmlElement.Builder element;

        Builder(String name) {
            this.element = XmlElement.builder(XmlElement.CONTENT_NS, name);
        }

        abstract B self();

        /** The recipient; {@code null} removes it. */
        public B to(Jid to) {
            element.attribute("to", to == null ? null : to.toString());
            return self();
        }

        /** The sender; {@code null} removes it. */
        public B from(Jid from) {
            element.attribute("from", from == null ? null : from.toString());
            return self();
        }

        /** The {@code id}; {@code null} removes it. */
        public B id(String id) {
            element.attribute("id", id);
            return self();
        }

        /** The {@code xml:lang}; {@code null} removes it. */
        public B lang(String lang) {
            element.attribute(XmlElement.XML_NS, "lang", lang);
            return self();
        }

        /** Appends an extended-content element. */
        public B payload(XmlElement payload) {
            element.child(payload);
            return self();
        }

        /** Sets, replaces or (with {@code null}) removes the single content-namespace child {@code name}. */
        B textChild(String name, String text) {
            element.removeChildren(XmlElement.CONTENT_NS, name);
            if (text != null) {
                element.child(XmlElement.builder(XmlElement.CONTENT_NS, name).text(text).build());
            }
            return self();
        }

        /**
         * The stanza, validated like a received one.
         *
         * @throws StanzaFormatException if the stanza would be invalid
         */
        public abstract S build();
    }
}
