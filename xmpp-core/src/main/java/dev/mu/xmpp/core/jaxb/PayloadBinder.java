package dev.mu.xmpp.core.jaxb;

import dev.mu.xmpp.core.xml.XmlElement;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.dom.DOMResult;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * Converts payload elements to JAXB-annotated objects and back, for modules that handle structured
 * payloads (disco, data forms, vCard) away from the stanza hot path.
 *
 * <p>Each conversion goes through a DOM of just that payload: the element tree is never turned into
 * DOM as a whole, and stanzas are never bound. A binder is meant to be created once per server
 * instance and shared; it creates one {@link JAXBContext} per bound class, on first use, and keeps it.
 * Marshallers and unmarshallers are not thread-safe and are created per call, which is cheap next to
 * the context.
 *
 * <p>Thread-safe.
 */
public final class PayloadBinder {

    private final ConcurrentHashMap<Class<?>, JAXBContext> contexts = new ConcurrentHashMap<>();
    private final DocumentBuilderFactory documents;

    /** Creates a binder with no contexts yet. */
    public PayloadBinder() {
        documents = DocumentBuilderFactory.newInstance();
        documents.setNamespaceAware(true);
    }

    /**
     * Binds a payload element to an instance of {@code type}.
     *
     * @throws PayloadBindingException if the element cannot be bound to the type
     */
    public <T> T unmarshal(XmlElement payload, Class<T> type) {
        Objects.requireNonNull(payload, "payload");
        try {
            Document document = newDocument();
            Node node = DomTrees.toDom(payload, document);
            document.appendChild(node);
            return context(type).createUnmarshaller().unmarshal(node, type).getValue();
        } catch (JAXBException e) {
            throw new PayloadBindingException("cannot bind " + payload.qName() + " to " + type.getName(), e);
        }
    }

    /**
     * Writes an instance of a JAXB root-element class as a payload element.
     *
     * @throws PayloadBindingException if the object's class is not a JAXB root element
     */
    public XmlElement marshal(Object payload) {
        Objects.requireNonNull(payload, "payload");
        try {
            Document document = newDocument();
            Marshaller marshaller = context(payload.getClass()).createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_FRAGMENT, true);
            marshaller.marshal(payload, new DOMResult(document));
            return DomTrees.fromDom(document.getDocumentElement());
        } catch (JAXBException e) {
            throw new PayloadBindingException("cannot write " + payload.getClass().getName(), e);
        }
    }

    private JAXBContext context(Class<?> type) throws JAXBException {
        JAXBContext context = contexts.get(type);
        if (context == null) {
            // Not computeIfAbsent: context creation is slow and may throw a checked exception; two
            // threads racing here merely build one context twice.
            context = JAXBContext.newInstance(type);
            JAXBContext raced = contexts.putIfAbsent(type, context);
            if (raced != null) {
                context = raced;
            }
        }
        return context;
    }

    private Document newDocument() {
        try {
            // DocumentBuilderFactory is not thread-safe; the builder is created under its lock.
            synchronized (documents) {
                return documents.newDocumentBuilder().newDocument();
            }
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM implementation is unavailable", e);
        }
    }
}
