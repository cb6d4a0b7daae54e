package dev.mu.xmpp.xep.disco.packet;

import dev.mu.xmpp.xep.dataforms.packet.DataForm;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;

/**
 * A disco#info query or result: {@code <query xmlns='http://jabber.org/protocol/disco#info'/>} with
 * the entity's identities, features and, per XEP-0128, extended information forms.
 *
 * <p>Immutable once built; bound with {@link dev.mu.xmpp.core.jaxb.PayloadBinder}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0030.html#info">XEP-0030 §3</a>
 * @see <a href="https://xmpp.org/extensions/xep-0128.html">XEP-0128</a>
 */
@XmlRootElement(name = "query")
@XmlAccessorType(XmlAccessType.FIELD)
public final class DiscoInfo {

    /** The disco#info namespace. */
    public static final String NAMESPACE = "http://jabber.org/protocol/disco#info";

    /** The qualified name of the query element. */
    public static final QName QNAME = new QName(NAMESPACE, "query");

    @XmlAttribute(name = "node")
    private String node;

    @XmlElement(name = "identity")
    private List<Identity> identities = new ArrayList<>();

    @XmlElement(name = "feature")
    private List<Feature> features = new ArrayList<>();

    @XmlElement(name = "x", namespace = DataForm.NAMESPACE)
    private List<DataForm> extensions = new ArrayList<>();

    /** For JAXB. */
    private DiscoInfo() {
    }

    /** An empty query, as sent in a disco#info {@code get}, optionally for a node. */
    public static DiscoInfo query(String node) {
        DiscoInfo info = new DiscoInfo();
        info.node = node;
        return info;
    }

    /** Starts a builder for a disco#info result. */
    public static Builder builder() {
        return new Builder();
    }

    /** The node queried, or {@code null}. */
    public String node() {
        return node;
    }

    /** The identities, at least one in a result (XEP-0030 §3.1). */
    public List<Identity> identities() {
        return List.copyOf(identities);
    }

    /** The feature namespaces in document order. */
    public List<String> features() {
        List<String> out = new ArrayList<>(features.size());
        for (Feature f : features) {
            out.add(f.var);
        }
        return List.copyOf(out);
    }

    /** Whether the entity advertises the feature. */
    public boolean hasFeature(String var) {
        for (Feature f : features) {
            if (var.equals(f.var)) {
                return true;
            }
        }
        return false;
    }

    /** The XEP-0128 extended information forms. */
    public List<DataForm> extensions() {
        return List.copyOf(extensions);
    }

    /** The extension form whose {@code FORM_TYPE} is {@code formType}, or {@code null}. */
    public DataForm extension(String formType) {
        for (DataForm f : extensions) {
            if (formType.equals(f.formType())) {
                return f;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof DiscoInfo d && Objects.equals(node, d.node)
                && identities.equals(d.identities) && features.equals(d.features) && extensions.equals(d.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, identities, features, extensions);
    }

    @Override
    public String toString() {
        return "DiscoInfo[" + identities + ", " + features() + ", " + extensions + "]";
    }

    /** An identity: what kind of entity this is (XEP-0030 §3.1, the Disco Categories registry). */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Identity {

        @XmlAttribute(name = "category", required = true)
        private String category;

        @XmlAttribute(name = "type", required = true)
        private String type;

        @XmlAttribute(name = "name")
        private String name;

        @XmlAttribute(name = "lang", namespace = XMLConstants.XML_NS_URI)
        private String lang;

        /** For JAXB. */
        private Identity() {
        }

        /**
         * An identity.
         *
         * @param category the category, e.g. {@code server}
         * @param type     the type within the category, e.g. {@code im}
         * @param name     the natural-language name, or {@code null}
         * @param lang     the {@code xml:lang} of the name, or {@code null}
         */
        public Identity(String category, String type, String name, String lang) {
            this.category = Objects.requireNonNull(category, "category");
            this.type = Objects.requireNonNull(type, "type");
            this.name = name;
            this.lang = lang;
        }

        /** The category. */
        public String category() {
            return category;
        }

        /** The type. */
        public String type() {
            return type;
        }

        /** The name, or {@code null}. */
        public String name() {
            return name;
        }

        /** The language of the name, or {@code null}. */
        public String lang() {
            return lang;
        }

        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Identity i && Objects.equals(category, i.category)
                    && Objects.equals(type, i.type) && Objects.equals(name, i.name) && Objects.equals(lang, i.lang);
        }

        @Override
        public int hashCode() {
            return Objects.hash(category, type, name, lang);
        }

        @Override
        public String toString() {
            return category + "/" + type + (name == null ? "" : " '" + name + "'");
        }
    }

    /** A {@code <feature var='...'/>}; exposed as its string through {@link #features()}. */
    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Feature {

        @XmlAttribute(name = "var", required = true)
        private String var;

        /** For JAXB. */
        private Feature() {
        }

        Feature(String var) {
            this.var = Objects.requireNonNull(var, "var");
        }

        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Feature f && Objects.equals(var, f.var);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(var);
        }
    }

    /** Builds a {@link DiscoInfo}; not thread-safe. */
    public static final class Builder {
        private final DiscoInfo info = new DiscoInfo();

        private Builder() {
        }

        /** The node answered for, or {@code null}. */
        public Builder node(String node) {
            info.node = node;
            return this;
        }

        /** Adds an identity with no language. */
        public Builder identity(String category, String type, String name) {
            return identity(new Identity(category, type, name, null));
        }

        /** Adds an identity. */
        public Builder identity(Identity identity) {
            info.identities.add(Objects.requireNonNull(identity, "identity"));
            return this;
        }

        /** Adds a feature namespace. */
        public Builder feature(String var) {
            info.features.add(new Feature(var));
            return this;
        }

        /** Adds an XEP-0128 extended information form, which should be of type result with a FORM_TYPE. */
        public Builder extension(DataForm form) {
            info.extensions.add(Objects.requireNonNull(form, "form"));
            return this;
        }

        /** The disco#info, independent of further use of this builder. */
        public DiscoInfo build() {
            DiscoInfo out = DiscoInfo.query(info.node);
            out.identities = new ArrayList<>(info.identities);
            out.features = new ArrayList<>(info.features);
            out.extensions = new ArrayList<>(info.extensions);
            return out;
        }
    }
}
