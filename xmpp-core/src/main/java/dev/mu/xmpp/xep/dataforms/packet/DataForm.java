package dev.mu.xmpp.xep.dataforms.packet;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlEnum;
import jakarta.xml.bind.annotation.XmlEnumValue;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.namespace.QName;

/**
 * A data form, {@code <x xmlns='jabber:x:data'/>}: the subset of XEP-0004 that typed payloads such as
 * XEP-0128 extended disco info use, a title, instructions and fields with values. Result tables
 * ({@code <reported/>}, {@code <item/>}) and field options are not modelled and are dropped on binding.
 *
 * <p>Immutable once built; bound with {@link dev.mu.xmpp.core.jaxb.PayloadBinder}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0004.html">XEP-0004</a>
 */
@XmlRootElement(name = "x")
@XmlAccessorType(XmlAccessType.FIELD)
public final class DataForm {

    /** The data forms namespace. */
    public static final String NAMESPACE = "jabber:x:data";

    /** The qualified name of the form element. */
    public static final QName QNAME = new QName(NAMESPACE, "x");

    /** The name of the hidden field that names the form's type (XEP-0068). */
    public static final String FORM_TYPE = "FORM_TYPE";

    /** The form types of XEP-0004 §3.1. */
    @XmlEnum
    public enum Type {
        /** A form to fill in. */
        @XmlEnumValue("form") FORM,
        /** A filled-in form. */
        @XmlEnumValue("submit") SUBMIT,
        /** A cancelled form. */
        @XmlEnumValue("cancel") CANCEL,
        /** Data returned by a query, as in extended disco info. */
        @XmlEnumValue("result") RESULT
    }

    @XmlAttribute(name = "type", required = true)
    private Type type;

    @XmlElement(name = "title")
    private String title;

    @XmlElement(name = "instructions")
    private List<String> instructions = new ArrayList<>();

    @XmlElement(name = "field")
    private List<Field> fields = new ArrayList<>();

    /** For JAXB. */
    private DataForm() {
    }

    private DataForm(Type type, String title, List<String> instructions, List<Field> fields) {
        this.type = Objects.requireNonNull(type, "type");
        this.title = title;
        this.instructions = new ArrayList<>(instructions);
        this.fields = new ArrayList<>(fields);
    }

    /**
     * A form of the given type.
     *
     * @param type         the form type
     * @param title        the title, or {@code null}
     * @param instructions the instructions, one per element
     * @param fields       the fields in order
     */
    public static DataForm of(Type type, String title, List<String> instructions, List<Field> fields) {
        return new DataForm(type, title, instructions, fields);
    }

    /** A result form whose hidden {@code FORM_TYPE} is {@code formType}, followed by {@code fields}. */
    public static DataForm result(String formType, List<Field> fields) {
        List<Field> all = new ArrayList<>(fields.size() + 1);
        all.add(new Field(FORM_TYPE, "hidden", null, List.of(formType)));
        all.addAll(fields);
        return new DataForm(Type.RESULT, null, List.of(), all);
    }

    /** The form type. */
    public Type type() {
        return type;
    }

    /** The title, or {@code null}. */
    public String title() {
        return title;
    }

    /** The instructions. */
    public List<String> instructions() {
        return List.copyOf(instructions);
    }

    /** The fields in document order. */
    public List<Field> fields() {
        return List.copyOf(fields);
    }

    /** The field named {@code var}, or {@code null}. */
    public Field field(String var) {
        for (Field f : fields) {
            if (var.equals(f.var)) {
                return f;
            }
        }
        return null;
    }

    /** The value of the hidden {@code FORM_TYPE} field, or {@code null} (XEP-0068). */
    public String formType() {
        Field f = field(FORM_TYPE);
        return f == null || f.values.isEmpty() ? null : f.values.get(0);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof DataForm d && type == d.type && Objects.equals(title, d.title)
                && instructions.equals(d.instructions) && fields.equals(d.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, title, instructions, fields);
    }

    @Override
    public String toString() {
        return "DataForm[" + type + ", " + formType() + ", " + fields + "]";
    }

    /** One field of a form; immutable once built. */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Field {

        @XmlAttribute(name = "var")
        private String var;

        @XmlAttribute(name = "type")
        private String type;

        @XmlAttribute(name = "label")
        private String label;

        @XmlElement(name = "value")
        private List<String> values = new ArrayList<>();

        /** For JAXB. */
        private Field() {
        }

        /**
         * A field.
         *
         * @param var    the field name, or {@code null} for a fixed field
         * @param type   the field type ({@code text-single}, {@code list-multi}, ...), or {@code null}
         * @param label  the label, or {@code null}
         * @param values the values in order
         */
        public Field(String var, String type, String label, List<String> values) {
            this.var = var;
            this.type = type;
            this.label = label;
            this.values = new ArrayList<>(values);
        }

        /** The field name, or {@code null}. */
        public String var() {
            return var;
        }

        /** The field type, or {@code null} (text-single by default, XEP-0004 §3.3). */
        public String type() {
            return type;
        }

        /** The label, or {@code null}. */
        public String label() {
            return label;
        }

        /** The values in order. */
        public List<String> values() {
            return List.copyOf(values);
        }

        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Field f && Objects.equals(var, f.var) && Objects.equals(type, f.type)
                    && Objects.equals(label, f.label) && values.equals(f.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(var, type, label, values);
        }

        @Override
        public String toString() {
            return var + "=" + values;
        }
    }
}
