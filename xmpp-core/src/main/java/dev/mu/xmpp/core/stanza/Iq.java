package dev.mu.xmpp.core.stanza;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.core.xml.XmlNode;

/**
 * An IQ stanza: a request ({@code get}, {@code set}) and its single response ({@code result},
 * {@code error}).
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8.2.3">RFC 6120 §8.2.3</a>
 */
public final class Iq extends Stanza {

    /** The element name. */
    public static final String NAME = "iq";

    private final IqType type;
    private final XmlElement payload;

    private Iq(XmlElement element, Jid to, Jid from) {
        super(element, to, from);
        // RFC 6120 §8.2.3 rule 1: "The 'id' attribute is REQUIRED for IQ stanzas."
        if (element.attribute("id") == null) {
            throw StanzaFormatException.badRequest("iq without id");
        }
        // Rule 2: "The 'type' attribute is REQUIRED for IQ stanzas", one of get, set, result, error.
        this.type = IqType.fromAttribute(element.attribute("type"));
        if (type == null) {
            throw StanzaFormatException.badRequest("iq type missing or unknown");
        }
        XmlElement first = null;
        int count = 0;
        for (XmlNode n : element.children()) {
            if (n instanceof XmlElement e && !(type == IqType.ERROR && e.is(XmlElement.CONTENT_NS, "error"))) {
                if (first == null) {
                    first = e;
                }
                count++;
            }
        }
        // Rule 5: "An IQ stanza of type 'get' or 'set' MUST contain exactly one child element";
        // rule 6: "An IQ stanza of type 'result' MUST include zero or one child elements." An error is not
        // checked: it can never be answered (RFC 6120 §8.3.1), so rejecting it would gain nothing.
        if (type.isRequest() && count != 1) {
            throw StanzaFormatException.badRequest("iq " + type.attributeValue() + " needs exactly one child, has " + count);
        }
        if (type == IqType.RESULT && count > 1) {
            throw StanzaFormatException.badRequest("iq result with " + count + " children");
        }
        this.payload = first;
    }

    /**
     * Wraps an {@code <iq/>} element.
     *
     * @throws StanzaFormatException if it is not an IQ, an address is malformed, or it breaks the
     *                               rules of RFC 6120 §8.2.3
     */
    public static Iq wrap(XmlElement element) {
        if (!element.is(XmlElement.CONTENT_NS, NAME)) {
            throw StanzaFormatException.badRequest("not an iq: " + element.qName());
        }
        return new Iq(element, address(element, "to"), address(element, "from"));
    }

    /** Starts a builder for a new IQ of the given type; an id is required before {@code build()}. */
    public static Builder builder(IqType type) {
        return new Builder(type);
    }

    /** The type. */
    public IqType type() {
        return type;
    }

    /** Whether this is a {@code get} or {@code set}, which must be answered. */
    public boolean isRequest() {
        return type.isRequest();
    }

    /**
     * The child element: the single one of a request, the optional one of a result, the original
     * request's child echoed in an error (not the {@code <error/>}), or {@code null}.
     */
    public XmlElement payload() {
        return payload;
    }

    /** The empty {@code result} for this request. */
    public Iq resultReply() {
        return resultReply(null);
    }

    /**
     * The {@code result} for this request carrying {@code payload}: RFC 6120 §8.2.3, "The response MUST
     * preserve the 'id' attribute of the request", sent back to the requester.
     *
     * @param payload the child of the result, or {@code null} for none
     * @throws IllegalStateException if this is not a request
     */
    public Iq resultReply(XmlElement payload) {
        requireRequest();
        XmlElement.Builder b = XmlElement.builder(XmlElement.CONTENT_NS, NAME)
                .attribute("to", from() == null ? null : from().toString())
                .attribute("from", to() == null ? null : to().toString())
                .attribute("id", id())
                .attribute("type", IqType.RESULT.attributeValue());
        if (payload != null) {
            b.child(payload);
        }
        return new Iq(b.build(), from(), to());
    }

    /**
     * The {@code error} for this request.
     *
     * @throws IllegalStateException if this is not a request: RFC 6120 §8.2.3, an entity that receives
     *                               a result or error MUST NOT respond with a further result or error
     */
    @Override
    public Iq errorReply(StanzaError error) {
        requireRequest();
        return (Iq) super.errorReply(error);
    }

    private void requireRequest() {
        if (!type.isRequest()) {
            throw new IllegalStateException("RFC 6120 §8.2.3: only a get or set is answered, not " + type.attributeValue());
        }
    }

    @Override
    public Iq withFrom(Jid from) {
        return (Iq) super.withFrom(from);
    }

    @Override
    public Iq withTo(Jid to) {
        return (Iq) super.withTo(to);
    }

    @Override
    public Iq withFromAndTo(Jid from, Jid to) {
        return (Iq) super.withFromAndTo(from, to);
    }

    @Override
    Iq rewrap(XmlElement element, Jid to, Jid from) {
        return new Iq(element, to, from);
    }

    /** Builds an {@link Iq}; not thread-safe. */
    public static final class Builder extends Stanza.Builder<Builder, Iq> {

        private Builder(IqType type) {
            super(NAME);
            element.attribute("type", type.attributeValue());
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        public Iq build() {
            return wrap(element.build());
        }
    }
}
