package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.core.xml.XmlNode;
import dev.mu.xmpp.core.xml.XmlText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes elements of one XML stream as well-formed UTF-8: the stream header, first-level elements
 * and the closing tag.
 *
 * <p>Elements in {@link XmlElement#CONTENT_NS} are written in the stream's content namespace, given
 * at construction: without a namespace declaration at the top level, where they inherit the stream's
 * default namespace, and with {@code xmlns='jabber:client'} (or {@code jabber:server}) when nested
 * inside an element of another namespace. Other namespaces are declared only where the default
 * namespace changes; {@link StreamNamespaces#STREAMS} is written with the {@code stream:} prefix
 * declared on the header (RFC 6120 §4.8.5); {@code xml:lang} with the {@code xml:} prefix; other
 * namespaced attributes with a prefix declared on their element.
 *
 * <p>Text and attribute values are escaped; characters that XML 1.0 does not allow (most C0 controls,
 * unpaired surrogates, U+FFFE and U+FFFF) are dropped, since no escape can carry them. Element and
 * attribute names that are not XML names are rejected with {@link IllegalArgumentException}.
 *
 * <p>A first-level element written a second time to a stream with the same content namespace (by
 * any writer) keeps its bytes in {@link XmlElement#encodedCache(Object)}, so an unchanged stanza
 * routed to several streams is serialized twice and then copied. The first write only marks the
 * element: most stanzas are written once, and copying out bytes that are never reused would cost as
 * much again as writing them. The cache holds one encoding per element; an element written
 * alternately to client and server streams is serialized again on each switch.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-11">RFC 6120 §11</a>
 */
public final class XmppStreamWriter {

    private static final byte[] DECLARATION = "<?xml version='1.0'?>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_CLOSE = "</stream:stream>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AMP = "&amp;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LT = "&lt;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GT = "&gt;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] APOS = "&apos;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUOT = "&quot;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAB = "&#x9;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LF = "&#xA;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CR = "&#xD;".getBytes(StandardCharsets.US_ASCII);

    private final String contentNamespace;
    /** The mark of an element written once to a stream with this content namespace. */
    private final Written written;

    /**
     * Creates a writer for a stream whose default namespace is {@code contentNamespace}.
     *
     * @param contentNamespace {@link StreamNamespaces#CLIENT} or {@link StreamNamespaces#SERVER}
     */
    public XmppStreamWriter(String contentNamespace) {
        if (Objects.requireNonNull(contentNamespace, "contentNamespace").isEmpty()) {
            throw new IllegalArgumentException("the content namespace must not be empty");
        }
        this.contentNamespace = contentNamespace;
        this.written = new Written(contentNamespace);
    }

    /** The content namespace this writer writes {@link XmlElement#CONTENT_NS} elements in. */
    public String contentNamespace() {
        return contentNamespace;
    }

    /**
     * Writes the XML declaration and the stream header (RFC 6120 §4.7, §11.5), declaring the content
     * namespace as default and {@code stream:} for the streams namespace.
     *
     * @param attributes the header's attributes, e.g. {@code from}, {@code id}, {@code version},
     *                   {@code xml:lang} (namespace {@link XmlElement#XML_NS})
     */
    public void writeStreamHeader(ByteBuf out, List<XmlAttribute> attributes) {
        writeStreamHeader(out, attributes, Map.of());
    }

    /**
     * Writes the XML declaration and the stream header with additional namespace declarations.
     *
     * @param attributes the header's attributes
     * @param prefixes   further declarations, prefix to namespace name, e.g.
     *                   {@code db -> jabber:server:dialback} for server dialback
     */
    public void writeStreamHeader(ByteBuf out, List<XmlAttribute> attributes, Map<String, String> prefixes) {
        out.writeBytes(DECLARATION);
        ascii(out, "<stream:stream xmlns='");
        escape(out, contentNamespace, true);
        ascii(out, "' xmlns:stream='" + StreamNamespaces.STREAMS + "'");
        for (Map.Entry<String, String> p : prefixes.entrySet()) {
            checkName(p.getKey());
            ascii(out, " xmlns:");
            ascii(out, p.getKey());
            ascii(out, "='");
            escape(out, p.getValue(), true);
            out.writeByte('\'');
        }
        writeAttributes(out, attributes);
        out.writeByte('>');
    }

    /** Writes {@code </stream:stream>} (RFC 6120 §4.4). */
    public void writeStreamClose(ByteBuf out) {
        out.writeBytes(STREAM_CLOSE);
    }

    /**
     * Writes a first-level element (a stanza or nonza), copying the cached bytes if it was written
     * to streams with this content namespace twice before, and caching them on the second write.
     */
    public void writeElement(XmlElement element, ByteBuf out) {
        Object cache = element.encodedCache();
        if (cache instanceof Encoded cached && cached.contentNamespace.equals(contentNamespace)) {
            out.writeBytes(cached.bytes);
            return;
        }
        int start = out.writerIndex();
        writeElement(out, element, contentNamespace);
        if (cache instanceof Written w && w.contentNamespace.equals(contentNamespace)) {
            byte[] bytes = new byte[out.writerIndex() - start];
            out.getBytes(start, bytes);
            element.encodedCache(new Encoded(contentNamespace, bytes));
        } else {
            element.encodedCache(written);
        }
    }

    /**
     * The length in bytes of the element's cached encoding for this writer's content namespace, or
     * -1 if none is cached (see {@link #writeElement(XmlElement, ByteBuf)}).
     */
    public int encodedLength(XmlElement element) {
        return element.encodedCache() instanceof Encoded cached && cached.contentNamespace.equals(contentNamespace)
                ? cached.bytes.length : -1;
    }

    /** The bytes of a first-level element; neither counts as a write for the cache nor fills it. */
    public byte[] toBytes(XmlElement element) {
        if (element.encodedCache() instanceof Encoded cached && cached.contentNamespace.equals(contentNamespace)) {
            return cached.bytes.clone();
        }
        ByteBuf buf = Unpooled.buffer(256);
        try {
            writeElement(buf, element, contentNamespace);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** The XML text of a first-level element, for tests and logs. */
    public String toXml(XmlElement element) {
        return new String(toBytes(element), StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code element}, given the effective default namespace of its parent.
     */
    private void writeElement(ByteBuf out, XmlElement element, String parentDefault) {
        String name = element.name();
        checkName(name);
        String namespace = element.namespace().isEmpty() ? contentNamespace : element.namespace();
        String inScope = parentDefault;
        out.writeByte('<');
        boolean streams = namespace.equals(StreamNamespaces.STREAMS);
        if (streams) {
            ascii(out, "stream:");
            utf8(out, name);
        } else {
            utf8(out, name);
            if (!namespace.equals(parentDefault)) {
                ascii(out, " xmlns='");
                escape(out, namespace, true);
                out.writeByte('\'');
                inScope = namespace;
            }
        }
        writeAttributes(out, element.attributes());
        List<XmlNode> children = element.children();
        if (children.isEmpty()) {
            ascii(out, "/>");
            return;
        }
        out.writeByte('>');
        for (int i = 0; i < children.size(); i++) {
            XmlNode child = children.get(i);
            if (child instanceof XmlElement e) {
                writeElement(out, e, inScope);
            } else {
                escape(out, ((XmlText) child).text(), false);
            }
        }
        ascii(out, streams ? "</stream:" : "</");
        utf8(out, name);
        out.writeByte('>');
    }

    private void writeAttributes(ByteBuf out, List<XmlAttribute> attributes) {
        for (int i = 0; i < attributes.size(); i++) {
            XmlAttribute a = attributes.get(i);
            checkName(a.name());
            out.writeByte(' ');
            String ns = a.namespace();
            if (ns.isEmpty()) {
                utf8(out, a.name());
            } else if (ns.equals(XmlElement.XML_NS)) {
                ascii(out, "xml:");
                utf8(out, a.name());
            } else {
                // A namespaced attribute needs a prefix: declare 'ns<index>' on this element. It cannot
                // collide with 'stream' or 'xml', and element names are written without prefixes.
                String prefix = "ns" + i;
                ascii(out, "xmlns:");
                ascii(out, prefix);
                ascii(out, "='");
                escape(out, ns, true);
                ascii(out, "' ");
                ascii(out, prefix);
                out.writeByte(':');
                utf8(out, a.name());
            }
            ascii(out, "='");
            escape(out, a.value(), true);
            out.writeByte('\'');
        }
    }

    /**
     * Writes {@code s} escaped: {@code &}, {@code <} and {@code >} always (the last so that
     * {@code ]]>} never appears in text), quotes in attribute values, and tab, newline and carriage
     * return as character references where the parser would otherwise normalize them (XML 1.0 §2.11,
     * §3.3.3). Characters XML 1.0 does not allow are dropped.
     */
    private static void escape(ByteBuf out, String s, boolean attribute) {
        int run = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            byte[] replacement;
            if (c >= 0x20 && c < 0xD800 && c != '&' && c != '<' && c != '>' && c != '\'' && c != '"') {
                continue;
            }
            switch (c) {
                case '&' -> replacement = AMP;
                case '<' -> replacement = LT;
                case '>' -> replacement = GT;
                case '\'' -> replacement = attribute ? APOS : null;
                case '"' -> replacement = attribute ? QUOT : null;
                case '\t' -> replacement = attribute ? TAB : null;
                case '\n' -> replacement = attribute ? LF : null;
                case '\r' -> replacement = CR;
                default -> {
                    if (c >= 0xE000 && c <= 0xFFFD) {
                        continue;
                    }
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        i++;
                        continue;
                    }
                    // Not allowed in XML 1.0 (§2.2): C0 controls, unpaired surrogates, U+FFFE, U+FFFF.
                    ByteBufUtil.writeUtf8(out, s, run, i);
                    run = i + 1;
                    continue;
                }
            }
            if (replacement == null) {
                continue;
            }
            ByteBufUtil.writeUtf8(out, s, run, i);
            out.writeBytes(replacement);
            run = i + 1;
        }
        ByteBufUtil.writeUtf8(out, s, run, n);
    }

    private static void utf8(ByteBuf out, String s) {
        ByteBufUtil.writeUtf8(out, s);
    }

    private static void ascii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    /** Rejects names that are not XML names without a colon (XML 1.0 §2.3, Namespaces in XML §3). */
    private static void checkName(String name) {
        int n = name.length();
        if (n == 0) {
            throw new IllegalArgumentException("empty XML name");
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
                    || i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.')) {
                continue;
            }
            if (c < 0x80 || !isNonAsciiNameChar(c, i == 0)) {
                throw new IllegalArgumentException("not an XML name: '" + name + "'");
            }
        }
    }

    /** The non-ASCII ranges of NameStartChar and NameChar (XML 1.0 fifth edition §2.3). */
    private static boolean isNonAsciiNameChar(char c, boolean start) {
        if (c >= 0xC0 && c <= 0xD6 || c >= 0xD8 && c <= 0xF6 || c >= 0xF8 && c <= 0x2FF
                || c >= 0x370 && c <= 0x37D || c >= 0x37F && c <= 0x1FFF || c >= 0x200C && c <= 0x200D
                || c >= 0x2070 && c <= 0x218F || c >= 0x2C00 && c <= 0x2FEF || c >= 0x3001 && c <= 0xD7FF
                || c >= 0xF900 && c <= 0xFDCF || c >= 0xFDF0 && c <= 0xFFFD
                || Character.isSurrogate(c)) {
            return true;
        }
        return !start && (c == 0xB7 || c >= 0x300 && c <= 0x36F || c >= 0x203F && c <= 0x2040);
    }

    /** A first-level element's bytes for one content namespace. */
    private record Encoded(String contentNamespace, byte[] bytes) {
    }

    /** Marks a first-level element written once for one content namespace. */
    private record Written(String contentNamespace) {
    }
}
