package dev.mu.xmpp.core.jaxb;

import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.core.xml.XmlNode;
import dev.mu.xmpp.core.xml.XmlText;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Converts between the element tree and a throwaway DOM, the form JAXB reads and writes; only ever
 * used for one payload on the binding path, never for a whole stanza.
 */
final class DomTrees {

    private DomTrees() {
    }

    static Element toDom(XmlElement element, Document document) {
        Element e = document.createElementNS(nullIfEmpty(element.namespace()), element.name());
        int prefixes = 0;
        for (XmlAttribute a : element.attributes()) {
            if (a.namespace().isEmpty()) {
                e.setAttributeNS(null, a.name(), a.value());
            } else if (a.namespace().equals(XMLConstants.XML_NS_URI)) {
                e.setAttributeNS(XMLConstants.XML_NS_URI, "xml:" + a.name(), a.value());
            } else {
                // DOM needs some prefix for a namespaced attribute; JAXB matches on the URI only.
                e.setAttributeNS(a.namespace(), "a" + prefixes++ + ":" + a.name(), a.value());
            }
        }
        for (XmlNode child : element.children()) {
            if (child instanceof XmlElement c) {
                e.appendChild(toDom(c, document));
            } else {
                e.appendChild(document.createTextNode(((XmlText) child).text()));
            }
        }
        return e;
    }

    static XmlElement fromDom(Element element) {
        List<XmlAttribute> attributes = new ArrayList<>();
        NamedNodeMap map = element.getAttributes();
        for (int i = 0; i < map.getLength(); i++) {
            Attr a = (Attr) map.item(i);
            String ns = a.getNamespaceURI();
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(ns)) {
                // Namespace declarations are syntax; the tree carries namespaces on each node instead.
                continue;
            }
            String name = a.getLocalName() != null ? a.getLocalName() : a.getName();
            attributes.add(new XmlAttribute(ns == null ? "" : ns, name, a.getValue()));
        }
        List<XmlNode> children = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            } else if (n.getNodeType() == Node.ELEMENT_NODE) {
                flush(text, children);
                children.add(fromDom((Element) n));
            }
        }
        flush(text, children);
        String ns = element.getNamespaceURI();
        String name = element.getLocalName() != null ? element.getLocalName() : element.getTagName();
        return XmlElement.of(ns == null ? "" : ns, name, attributes, children);
    }

    private static void flush(StringBuilder text, List<XmlNode> children) {
        if (!text.isEmpty()) {
            children.add(new XmlText(text.toString()));
            text.setLength(0);
        }
    }

    private static String nullIfEmpty(String namespace) {
        return namespace.isEmpty() ? null : namespace;
    }
}
