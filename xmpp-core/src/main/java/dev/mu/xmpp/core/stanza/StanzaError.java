package dev.mu.xmpp.core.stanza;

import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.xml.XmlElement;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A stanza error: the {@code <error/>} child of a stanza of type {@code error}, as a value.
 *
 * <p>Immutable and thread-safe. The constants ({@link #BAD_REQUEST}, ...) carry each condition with
 * its usual type and no text; {@link #builder(Condition)} adds text, {@code by}, an alternate address
 * or an application-specific condition.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-8.3">RFC 6120 §8.3</a>
 */
public final class StanzaError {

    /** The namespace of the defined conditions and of {@code <text/>}. */
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /** The error types (RFC 6120 §8.3.2): what the sender should do about the error. */
    public enum Type {
        /** Retry after providing credentials. */
        AUTH,
        /** Do not retry; the error cannot be remedied. */
        CANCEL,
        /** Proceed; the condition was only a warning. */
        CONTINUE,
        /** Retry after changing the data sent. */
        MODIFY,
        /** Retry after waiting; the error is temporary. */
        WAIT;

        private final String value = name().toLowerCase(Locale.ROOT);

        /** The value of the {@code type} attribute. */
        public String attributeValue() {
            return value;
        }

        /** The type for an attribute value, or {@code null} if it is not one. */
        public static Type fromAttribute(String value) {
            for (Type t : values()) {
                if (t.value.equals(value)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * The defined conditions of RFC 6120 §8.3.3, each with the type the RFC's description and
     * example give it.
     */
    public enum Condition {
        /** §8.3.3.1. */
        BAD_REQUEST(Type.MODIFY),
        /** §8.3.3.2. */
        CONFLICT(Type.CANCEL),
        /** §8.3.3.3: "SHOULD be cancel or modify". */
        FEATURE_NOT_IMPLEMENTED(Type.CANCEL),
        /** §8.3.3.4. */
        FORBIDDEN(Type.AUTH),
        /** §8.3.3.5: may carry the entity's new address as character data. */
        GONE(Type.CANCEL),
        /** §8.3.3.6. */
        INTERNAL_SERVER_ERROR(Type.CANCEL),
        /** §8.3.3.7. */
        ITEM_NOT_FOUND(Type.CANCEL),
        /** §8.3.3.8. */
        JID_MALFORMED(Type.MODIFY),
        /** §8.3.3.9. */
        NOT_ACCEPTABLE(Type.MODIFY),
        /** §8.3.3.10. */
        NOT_ALLOWED(Type.CANCEL),
        /** §8.3.3.11. */
        NOT_AUTHORIZED(Type.AUTH),
        /** §8.3.3.12. */
        POLICY_VIOLATION(Type.MODIFY),
        /** §8.3.3.13. */
        RECIPIENT_UNAVAILABLE(Type.WAIT),
        /** §8.3.3.14: may carry the alternate address as character data. */
        REDIRECT(Type.MODIFY),
        /** §8.3.3.15. */
        REGISTRATION_REQUIRED(Type.AUTH),
        /** §8.3.3.16. */
        REMOTE_SERVER_NOT_FOUND(Type.CANCEL),
        /** §8.3.3.17. */
        REMOTE_SERVER_TIMEOUT(Type.WAIT),
        /** §8.3.3.18. */
        RESOURCE_CONSTRAINT(Type.WAIT),
        /** §8.3.3.19. */
        SERVICE_UNAVAILABLE(Type.CANCEL),
        /** §8.3.3.20. */
        SUBSCRIPTION_REQUIRED(Type.AUTH),
        /** §8.3.3.21: "any error type can be used"; cancel is the conservative choice. */
        UNDEFINED_CONDITION(Type.CANCEL),
        /** §8.3.3.22: "SHOULD be wait or modify". */
        UNEXPECTED_REQUEST(Type.WAIT);

        private final Type defaultType;
        private final String elementName;

        Condition(Type defaultType) {
            this.defaultType = defaultType;
            this.elementName = name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The local name of the condition element, e.g. {@code item-not-found}. */
        public String elementName() {
            return elementName;
        }

        /** The type used when none is given. */
        public Type defaultType() {
            return defaultType;
        }

        /** The condition with the given element name, or {@code null}. */
        public static Condition fromElementName(String name) {
            for (Condition c : values()) {
                if (c.elementName.equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    private static final Map<Condition, StanzaError> PLAIN = new EnumMap<>(Condition.class);

    static {
        for (Condition c : Condition.values()) {
            PLAIN.put(c, new StanzaError(builder(c)));
        }
    }

    /** {@code bad-request}, type modify. */
    public static final StanzaError BAD_REQUEST = PLAIN.get(Condition.BAD_REQUEST);
    /** {@code conflict}, type cancel. */
    public static final StanzaError CONFLICT = PLAIN.get(Condition.CONFLICT);
    /** {@code feature-not-implemented}, type cancel. */
    public static final StanzaError FEATURE_NOT_IMPLEMENTED = PLAIN.get(Condition.FEATURE_NOT_IMPLEMENTED);
    /** {@code forbidden}, type auth. */
    public static final StanzaError FORBIDDEN = PLAIN.get(Condition.FORBIDDEN);
    /** {@code gone}, type cancel. */
    public static final StanzaError GONE = PLAIN.get(Condition.GONE);
    /** {@code internal-server-error}, type cancel. */
    public static final StanzaError INTERNAL_SERVER_ERROR = PLAIN.get(Condition.INTERNAL_SERVER_ERROR);
    /** {@code item-not-found}, type cancel. */
    public static final StanzaError ITEM_NOT_FOUND = PLAIN.get(Condition.ITEM_NOT_FOUND);
    /** {@code jid-malformed}, type modify. */
    public static final StanzaError JID_MALFORMED = PLAIN.get(Condition.JID_MALFORMED);
    /** {@code not-acceptable}, type modify. */
    public static final StanzaError NOT_ACCEPTABLE = PLAIN.get(Condition.NOT_ACCEPTABLE);
    /** {@code not-allowed}, type cancel. */
    public static final StanzaError NOT_ALLOWED = PLAIN.get(Condition.NOT_ALLOWED);
    /** {@code not-authorized}, type auth. */
    public static final StanzaError NOT_AUTHORIZED = PLAIN.get(Condition.NOT_AUTHORIZED);
    /** {@code policy-violation}, type modify. */
    public static final StanzaError POLICY_VIOLATION = PLAIN.get(Condition.POLICY_VIOLATION);
    /** {@code recipient-unavailable}, type wait. */
    public static final StanzaError RECIPIENT_UNAVAILABLE = PLAIN.get(Condition.RECIPIENT_UNAVAILABLE);
    /** {@code redirect}, type modify. */
    public static final StanzaError REDIRECT = PLAIN.get(Condition.REDIRECT);
    /** {@code registration-required}, type auth. */
    public static final StanzaError REGISTRATION_REQUIRED = PLAIN.get(Condition.REGISTRATION_REQUIRED);
    /** {@code remote-server-not-found}, type cancel. */
    public static final StanzaError REMOTE_SERVER_NOT_FOUND = PLAIN.get(Condition.REMOTE_SERVER_NOT_FOUND);
    /** {@code remote-server-timeout}, type wait. */
    public static final StanzaError REMOTE_SERVER_TIMEOUT = PLAIN.get(Condition.REMOTE_SERVER_TIMEOUT);
    /** {@code resource-constraint}, type wait. */
    public static final StanzaError RESOURCE_CONSTRAINT = PLAIN.get(Condition.RESOURCE_CONSTRAINT);
    /** {@code service-unavailable}, type cancel. */
    public static final StanzaError SERVICE_UNAVAILABLE = PLAIN.get(Condition.SERVICE_UNAVAILABLE);
    /** {@code subscription-required}, type auth. */
    public static final StanzaError SUBSCRIPTION_REQUIRED = PLAIN.get(Condition.SUBSCRIPTION_REQUIRED);
    /** {@code undefined-condition}, type cancel. */
    public static final StanzaError UNDEFINED_CONDITION = PLAIN.get(Condition.UNDEFINED_CONDITION);
    /** {@code unexpected-request}, type wait. */
    public static final StanzaError UNEXPECTED_REQUEST = PLAIN.get(Condition.UNEXPECTED_REQUEST);

    private final Condition condition;
    private final Type type;
    private final String text;
    private final String textLang;
    private final String by;
    private final String conditionText;
    private final XmlElement applicationCondition;

    private StanzaError(Builder b) {
        this.condition = b.condition;
        this.type = b.type != null ? b.type : b.condition.defaultType();
        this.text = b.text;
        this.textLang = b.textLang;
        this.by = b.by;
        this.conditionText = b.conditionText;
        this.applicationCondition = b.applicationCondition;
    }

    /** The error with this condition, its default type and nothing else. */
    public static StanzaError of(Condition condition) {
        return PLAIN.get(Objects.requireNonNull(condition, "condition"));
    }

    /** The error with this condition, its default type and a human-readable text. */
    public static StanzaError of(Condition condition, String text) {
        return builder(condition).text(text).build();
    }

    /**
     * {@code jid-malformed} for an address that failed RFC 7622 preparation, with the reason as text so
     * the sender learns which part to fix.
     */
    public static StanzaError jidMalformed(JidFormatException e) {
        return builder(Condition.JID_MALFORMED).text(e.getMessage()).build();
    }

    /** Starts a builder for an error with the given condition. */
    public static Builder builder(Condition condition) {
        return new Builder(condition);
    }

    /**
     * Reads an {@code <error/>} element. Lenient as a receiver should be: a missing or unknown
     * condition reads as {@code undefined-condition} and a missing or unknown type as the condition's
     * default, since a stanza error can never be answered with another (RFC 6120 §8.3.1).
     */
    public static StanzaError fromElement(XmlElement error) {
        Condition condition = Condition.UNDEFINED_CONDITION;
        String conditionText = null;
        String text = null;
        String textLang = null;
        XmlElement application = null;
        boolean conditionSeen = false;
        for (XmlElement child : error.elements()) {
            if (child.namespace().equals(NAMESPACE)) {
                if (child.name().equals("text")) {
                    text = child.text();
                    textLang = child.attribute(XmlElement.XML_NS, "lang");
                } else if (!conditionSeen) {
                    Condition c = Condition.fromElementName(child.name());
                    if (c != null) {
                        condition = c;
                        conditionSeen = true;
                        String t = child.text();
                        conditionText = t.isEmpty() ? null : t;
                    }
                }
            } else if (application == null) {
                application = child;
            }
        }
        return builder(condition)
                .type(Type.fromAttribute(error.attribute("type")))
                .by(error.attribute("by"))
                .text(text, textLang)
                .conditionText(conditionText)
                .applicationCondition(application)
                .build();
    }

    /** The defined condition. */
    public Condition condition() {
        return condition;
    }

    /** The error type. */
    public Type type() {
        return type;
    }

    /** The human-readable description, or {@code null}. */
    public String text() {
        return text;
    }

    /** The {@code xml:lang} of {@link #text()}, or {@code null}. */
    public String textLang() {
        return textLang;
    }

    /** The {@code by} attribute, the entity that generated the error, or {@code null}. */
    public String by() {
        return by;
    }

    /** The character data of the condition element, the new address for gone and redirect, or {@code null}. */
    public String conditionText() {
        return conditionText;
    }

    /** The application-specific condition element, or {@code null}. */
    public XmlElement applicationCondition() {
        return applicationCondition;
    }

    /** A builder initialised with this error's values. */
    public Builder toBuilder() {
        return builder(condition).type(type).text(text, textLang).by(by)
                .conditionText(conditionText).applicationCondition(applicationCondition);
    }

    /**
     * The {@code <error/>} element in the stream content namespace, children in the order RFC 6120
     * §8.3.2 gives: the condition, then text, then the application-specific condition.
     */
    public XmlElement toElement() {
        XmlElement.Builder b = XmlElement.builder(XmlElement.CONTENT_NS, "error")
                .attribute("type", type.attributeValue())
                .attribute("by", by);
        b.child(XmlElement.builder(NAMESPACE, condition.elementName())
                .text(conditionText == null ? "" : conditionText).build());
        if (text != null) {
            b.child(XmlElement.builder(NAMESPACE, "text").attribute(XmlElement.XML_NS, "lang", textLang)
                    .text(text).build());
        }
        if (applicationCondition != null) {
            b.child(applicationCondition);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof StanzaError e
                && condition == e.condition && type == e.type
                && Objects.equals(text, e.text) && Objects.equals(textLang, e.textLang)
                && Objects.equals(by, e.by) && Objects.equals(conditionText, e.conditionText)
                && Objects.equals(applicationCondition, e.applicationCondition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(condition, type, text, textLang, by, conditionText, applicationCondition);
    }

    @Override
    public String toString() {
        return "StanzaError[" + condition.elementName() + ", " + type.attributeValue()
                + (text == null ? "" : ", '" + text + "'") + "]";
    }

    /** Builds a {@link StanzaError}; not thread-safe. */
    public static final class Builder {
        private final Condition condition;
        private Type type;
        private String text;
        private String textLang;
        private String by;
        private String conditionText;
        private XmlElement applicationCondition;

        private Builder(Condition condition) {
            this.condition = Objects.requireNonNull(condition, "condition");
        }

        /** The type; {@code null} means the condition's default. */
        public Builder type(Type type) {
            this.type = type;
            return this;
        }

        /** A human-readable description with no {@code xml:lang}. */
        public Builder text(String text) {
            return text(text, null);
        }

        /** A human-readable description in the given language. */
        public Builder text(String text, String lang) {
            this.text = text;
            this.textLang = lang;
            return this;
        }

        /** The entity that generated the error (RFC 6120 §8.3.2: SHOULD be set when it is not the recipient). */
        public Builder by(Jid by) {
            return by(by == null ? null : by.toString());
        }

        private Builder by(String by) {
            this.by = by;
            return this;
        }

        /** Character data of the condition element: the new or alternate address for gone and redirect. */
        public Builder conditionText(String conditionText) {
            this.conditionText = conditionText;
            return this;
        }

        /**
         * An application-specific condition (RFC 6120 §8.3.2), which MUST be in a namespace other than
         * {@link #NAMESPACE} and the content namespace.
         */
        public Builder applicationCondition(XmlElement element) {
            if (element != null && (element.namespace().equals(NAMESPACE)
                    || element.namespace().equals(XmlElement.CONTENT_NS))) {
                throw new IllegalArgumentException("application-specific condition needs its own namespace");
            }
            this.applicationCondition = element;
            return this;
        }

        /** The immutable error. */
        public StanzaError build() {
            return new StanzaError(this);
        }
    }
}
