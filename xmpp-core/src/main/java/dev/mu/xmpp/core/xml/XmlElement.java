package dev.mu.xmpp.core.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.xml.namespace.QName;

/**
 * An immutable XML element: a qualified name, ordered attributes and ordered children.
 *
 * <p>Elements in the stream's content namespace ({@code jabber:client} or {@code jabber:server})
 * carry {@link #CONTENT_NS}, the empty namespace: the decoder maps the stream's default namespace to
 * it and the encoder writes it back as the namespace of the stream being written to, so one tree
 * serves client and server streams (RFC 6120 §4.8.3).
 *
 * <p>Instances are immutable and safe to share between threads. The encoder may keep the serialized
 * form of an element in {@link #encodedCache()} so that a stanza that passes through unmodified is
 * written without being serialized again.
 */
public final class XmlElement implements XmlNode {

    /** The stream content namespace, {@code jabber:client} or {@code jabber:server} when written. */
    public static final String CONTENT_NS = "";

    /** The namespace bound to the {@code xml:} prefix. */
    public static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    private final String namespace;
    private final String name;
    private final List<XmlAttribute> attributes;
    private final List<XmlNode> children;
    /** Serialized form cached by the encoder; benign race, like {@link String#hashCode()}. */
    private volatile Object encodedCache;

    private XmlElement(String namespace, String name, List<XmlAttribute> attributes, List<XmlNode> children) {
        this.namespace = namespace;
        this.name = name;
        this.attributes = attributes;
        this.children = children;
    }

    /** Starts a builder for an element with the given namespace and local name. */
    public static Builder builder(String namespace, String name) {
        return new Builder(namespace, name);
    }

    /** An empty element with no attributes and no children. */
    public static XmlElement empty(String namespace, String name) {
        return new XmlElement(Objects.requireNonNull(namespace), Objects.requireNonNull(name),
                ImmutableArrayList.empty(), ImmutableArrayList.empty());
    }

    /**
     * Builds an element from lists of attributes and children, copied once; lists taken from another
     * element ({@link #attributes()}, {@link #children()}) are shared instead.
     */
    public static XmlElement of(String namespace, String name, List<XmlAttribute> attributes, List<XmlNode> children) {
        return new XmlElement(Objects.requireNonNull(namespace), Objects.requireNonNull(name),
                ImmutableArrayList.copyOf(attributes), ImmutableArrayList.copyOf(children));
    }

    /** The namespace URI; {@link #CONTENT_NS} for the stream's content namespace. */
    public String namespace() {
        return namespace;
    }

    /** The local name. */
    public String name() {
        return name;
    }

    /** The qualified name, for lookups of payloads by {@code QName}. */
    public QName qName() {
        return new QName(namespace, name);
    }

    /** Whether this element has the given namespace and local name. */
    public boolean is(String namespace, String name) {
        return this.name.equals(name) && this.namespace.equals(namespace);
    }

    /** Whether this element has the given qualified name. */
    public boolean is(QName qName) {
        return is(qName.getNamespaceURI(), qName.getLocalPart());
    }

    /** The attributes in document order. */
    public List<XmlAttribute> attributes() {
        return attributes;
    }

    /** The value of the unqualified attribute {@code name}, or {@code null}. */
    public String attribute(String name) {
        return attribute("", name);
    }

    /** The value of the attribute in {@code namespace} named {@code name}, or {@code null}. */
    public String attribute(String namespace, String name) {
        for (int i = 0; i < attributes.size(); i++) {
            XmlAttribute a = attributes.get(i);
            if (a.name().equals(name) && a.namespace().equals(namespace)) {
                return a.value();
            }
        }
        return null;
    }

    /** The children, elements and text, in document order. */
    public List<XmlNode> children() {
        return children;
    }

    /** The child elements in document order. */
    public List<XmlElement> elements() {
        List<XmlElement> out = new ArrayList<>(children.size());
        for (XmlNode n : children) {
            if (n instanceof XmlElement e) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first child element with the given name, if any. */
    public Optional<XmlElement> child(String namespace, String name) {
        return Optional.ofNullable(firstChild(namespace, name));
    }

    /** The first child element with the given qualified name, if any. */
    public Optional<XmlElement> child(QName qName) {
        return child(qName.getNamespaceURI(), qName.getLocalPart());
    }

    /** The first child element with the given name, or {@code null}; allocation-free for the hot path. */
    public XmlElement firstChild(String namespace, String name) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof XmlElement e && e.is(namespace, name)) {
                return e;
            }
        }
        return null;
    }

    /** The first child element of any name, or {@code null}. */
    public XmlElement firstElement() {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof XmlElement e) {
                return e;
            }
        }
        return null;
    }

    /** The concatenated character data directly inside this element. */
    public String text() {
        if (children.size() == 1 && children.get(0) instanceof XmlText t) {
            return t.text();
        }
        StringBuilder sb = new StringBuilder();
        for (XmlNode n : children) {
            if (n instanceof XmlText t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /** A builder initialised with this element's name, attributes and children. */
    public Builder toBuilder() {
        Builder b = new Builder(namespace, name);
        b.attributes.addAll(attributes);
        b.children.addAll(children);
        return b;
    }

    /** A copy with the unqualified attribute set, replaced, or removed when {@code value} is null. */
    public XmlElement withAttribute(String name, String value) {
        String current = attribute(name);
        if (Objects.equals(current, value)) {
            return this;
        }
        return toBuilder().attribute(name, value).build();
    }

    /**
     * A copy without the unqualified attributes {@code name1} and {@code name2}, to which each of them
     * whose value is not null is then appended, in this order; the children are shared. It copies the
     * attribute list once, for stamping addresses on every routed stanza.
     */
    public XmlElement withAttributes(String name1, String value1, String name2, String value2) {
        Objects.requireNonNull(name1, "name1");
        Objects.requireNonNull(name2, "name2");
        int kept = 0;
        for (int i = 0; i < attributes.size(); i++) {
            if (!isUnqualified(attributes.get(i), name1, name2)) {
                kept++;
            }
        }
        XmlAttribute[] result = new XmlAttribute[kept + (value1 == null ? 0 : 1) + (value2 == null ? 0 : 1)];
        int n = 0;
        for (int i = 0; i < attributes.size(); i++) {
            XmlAttribute a = attributes.get(i);
            if (!isUnqualified(a, name1, name2)) {
                result[n++] = a;
            }
        }
        if (value1 != null) {
            result[n++] = new XmlAttribute("", name1, value1);
        }
        if (value2 != null) {
            result[n] = new XmlAttribute("", name2, value2);
        }
        return new XmlElement(namespace, name, ImmutableArrayList.wrap(result), children);
    }

    private static boolean isUnqualified(XmlAttribute a, String name1, String name2) {
        return a.namespace().isEmpty() && (a.name().equals(name1) || a.name().equals(name2));
    }

    /** The encoder's cached serialization, or {@code null}; opaque to everyone else. */
    public Object encodedCache() {
        return encodedCache;
    }

    /** Stores the encoder's serialization of this (immutable) element for reuse. */
    public void encodedCache(Object cache) {
        this.encodedCache = cache;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof XmlElement e
                && name.equals(e.name) && namespace.equals(e.namespace)
                && attributes.equals(e.attributes) && children.equals(e.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, name, attributes, children);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb, "");
        return sb.toString();
    }

    /** Debug rendering only; the wire format is written by the stream encoder. */
    private void appendTo(StringBuilder sb, String parentNs) {
        sb.append('<').append(name);
        if (!namespace.equals(parentNs)) {
            sb.append(" xmlns='").append(namespace).append('\'');
        }
        for (XmlAttribute a : attributes) {
            sb.append(' ').append(a.namespace().equals(XML_NS) ? "xml:" : "").append(a.name())
                    .append("='").append(a.value()).append('\'');
        }
        if (children.isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        for (XmlNode n : children) {
            if (n instanceof XmlElement e) {
                e.appendTo(sb, namespace);
            } else {
                sb.append(((XmlText) n).text());
            }
        }
        sb.append("</").append(name).append('>');
    }

    /** Builds an {@link XmlElement}; not thread-safe. */
    public static final class Builder {
        private final String namespace;
        private final String name;
        private final List<XmlAttribute> attributes = new ArrayList<>(4);
        private final List<XmlNode> children = new ArrayList<>(4);

        private Builder(String namespace, String name) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Sets, replaces, or (with a null value) removes an unqualified attribute. */
        public Builder attribute(String name, String value) {
            return attribute("", name, value);
        }

        /** Sets, replaces, or (with a null value) removes a namespaced attribute. */
        public Builder attribute(String namespace, String name, String value) {
            for (int i = 0; i < attributes.size(); i++) {
                XmlAttribute a = attributes.get(i);
                if (a.name().equals(name) && a.namespace().equals(namespace)) {
                    if (value == null) {
                        attributes.remove(i);
                    } else {
                        attributes.set(i, new XmlAttribute(namespace, name, value));
                    }
                    return this;
                }
            }
            if (value != null) {
                attributes.add(new XmlAttribute(namespace, name, value));
            }
            return this;
        }

        /** Appends a child node. */
        public Builder child(XmlNode child) {
            children.add(Objects.requireNonNull(child, "child"));
            return this;
        }

        /** Appends child nodes. */
        public Builder children(List<? extends XmlNode> nodes) {
            for (XmlNode n : nodes) {
                child(n);
            }
            return this;
        }

        /** Appends a text child; empty text is skipped. */
        public Builder text(String text) {
            if (!text.isEmpty()) {
                children.add(new XmlText(text));
            }
            return this;
        }

        /** Removes every child element with the given name. */
        public Builder removeChildren(String namespace, String name) {
            children.removeIf(n -> n instanceof XmlElement e && e.is(namespace, name));
            return this;
        }

        /** Applies a customisation in line, for fluent conditional building. */
        public Builder apply(Consumer<Builder> customizer) {
            customizer.accept(this);
            return this;
        }

        /** The immutable element. */
        public XmlElement build() {
            return new XmlElement(namespace, name, ImmutableArrayList.copyOf(attributes), ImmutableArrayList.copyOf(children));
        }
    }
}
