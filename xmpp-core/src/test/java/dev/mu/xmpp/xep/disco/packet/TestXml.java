package dev.mu.xmpp.xep.disco.packet;

import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.core.xml.XmlNode;
import dev.mu.xmpp.core.xml.XmlText;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a test fixture into the element tree the way the stream decoder does: {@code jabber:client}
 * becomes the content namespace, and whitespace-only text between elements is dropped.
 */
final class TestXml {

    private TestXml() {
    }

    static XmlElement parse(String xml) {
        try {
            XMLStreamReader r = XMLInputFactory.newFactory().createXMLStreamReader(new StringReader(xml));
            Deque<Frame> stack = new ArrayDeque<>();
            XmlElement root = null;
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        String ns = r.getNamespaceURI() == null || r.getNamespaceURI().equals("jabber:client")
                                ? XmlElement.CONTENT_NS : r.getNamespaceURI();
                        Frame f = new Frame(ns, r.getLocalName());
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String ans = r.getAttributeNamespace(i);
                            f.attributes.add(new XmlAttribute(ans == null ? "" : ans, r.getAttributeLocalName(i),
                                    r.getAttributeValue(i)));
                        }
                        stack.push(f);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!r.isWhiteSpace()) {
                            stack.peek().children.add(new XmlText(r.getText()));
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Frame f = stack.pop();
                        XmlElement e = XmlElement.of(f.namespace, f.name, f.attributes, f.children);
                        if (stack.isEmpty()) {
                            root = e;
                        } else {
                            stack.peek().children.add(e);
                        }
                    }
                    default -> { }
                }
            }
            return root;
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The same tree with every element's attributes sorted by namespace and name. */
    static XmlElement sortAttributes(XmlElement e) {
        List<XmlAttribute> attributes = new ArrayList<>(e.attributes());
        attributes.sort(java.util.Comparator.comparing(XmlAttribute::namespace).thenComparing(XmlAttribute::name));
        List<XmlNode> children = new ArrayList<>();
        for (XmlNode n : e.children()) {
            children.add(n instanceof XmlElement c ? sortAttributes(c) : n);
        }
        return XmlElement.of(e.namespace(), e.name(), attributes, children);
    }

    private static final class Frame {
        final String namespace;
        final String name;
        final List<XmlAttribute> attributes = new ArrayList<>();
        final List<XmlNode> children = new ArrayList<>();

        Frame(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }
    }
}
