package dev.mu.xmpp.core.stream;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/**
 * The limits and accepted namespaces of an {@link XmppStreamParser}; immutable and safe to share
 * between all connections of a listener.
 *
 * <p>Every limit protects memory or CPU from a peer. Crossing one is reported as a
 * {@link StreamViolation} with {@link StreamError#POLICY_VIOLATION}, which RFC 6120 §4.9.3.14 names
 * for exactly this ("a stanza exceeds a configured size limit"); {@link StreamError#RESOURCE_CONSTRAINT}
 * is kept for the server's own shortage (§4.9.3.17). The decoder then consumes no more input.
 *
 * <table class="striped">
 * <caption>Limits and defaults</caption>
 * <thead><tr><th>Limit</th><th>Default</th><th>What it bounds</th></tr></thead>
 * <tbody>
 * <tr><td>{@link Builder#maxStanzaBytes(int) maxStanzaBytes}</td><td>{@value #DEFAULT_MAX_STANZA_BYTES}</td>
 *     <td>raw bytes of one first-level element, counted from the end of the previous one, so
 *     whitespace between stanzas counts too; the memory the parser may hold at any time</td></tr>
 * <tr><td>{@link Builder#maxHeaderBytes(int) maxHeaderBytes}</td><td>{@value #DEFAULT_MAX_HEADER_BYTES}</td>
 *     <td>raw bytes of the XML declaration and the {@code <stream:stream>} start tag</td></tr>
 * <tr><td>{@link Builder#maxDepth(int) maxDepth}</td><td>{@value #DEFAULT_MAX_DEPTH}</td>
 *     <td>element nesting inside a first-level element, which itself is depth 1</td></tr>
 * <tr><td>{@link Builder#maxAttributes(int) maxAttributes}</td><td>{@value #DEFAULT_MAX_ATTRIBUTES}</td>
 *     <td>attributes plus namespace declarations on one element</td></tr>
 * <tr><td>{@link Builder#maxAttributeValueLength(int) maxAttributeValueLength}</td>
 *     <td>{@value #DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH}</td><td>characters of one attribute value</td></tr>
 * <tr><td>{@link Builder#maxTextLength(int) maxTextLength}</td><td>{@value #DEFAULT_MAX_TEXT_LENGTH}</td>
 *     <td>characters of text directly inside one element, summed over all its text pieces</td></tr>
 * <tr><td>{@link Builder#maxNameLength(int) maxNameLength}</td><td>{@value #DEFAULT_MAX_NAME_LENGTH}</td>
 *     <td>characters of an element or attribute name (prefix and local name) or a namespace name</td></tr>
 * </tbody>
 * </table>
 *
 * <p>By default both {@code jabber:client} and {@code jabber:server} are accepted as the stream's
 * content namespace; a client-to-server listener narrows this to {@code jabber:client} (RFC 6120 §4.8.2).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-13.12">RFC 6120 §13.12 (denial of service)</a>
 */
public final class XmppDecoderConfig {

    /** Default of {@link Builder#maxStanzaBytes(int)}: 256 KiB, as Prosody allows on client streams. */
    public static final int DEFAULT_MAX_STANZA_BYTES = 256 * 1024;
    /** Default of {@link Builder#maxHeaderBytes(int)}. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    /** Default of {@link Builder#maxDepth(int)}. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /** Default of {@link Builder#maxAttributes(int)}. */
    public static final int DEFAULT_MAX_ATTRIBUTES = 64;
    /** Default of {@link Builder#maxAttributeValueLength(int)}. */
    public static final int DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH = 64 * 1024;
    /** Default of {@link Builder#maxTextLength(int)}. */
    public static final int DEFAULT_MAX_TEXT_LENGTH = 64 * 1024;
    /** Default of {@link Builder#maxNameLength(int)}. */
    public static final int DEFAULT_MAX_NAME_LENGTH = 1024;

    /**
     * Element and attribute names that most streams use. Aalto adds the names a reader meets to
     * that reader's own copy of the symbol table and merges them into the factory's shared one only
     * when the reader is closed, which a session's last stream never is before it ends: without this
     * sample every connection keeps its own copies, about 2 KB per connection.
     */
    private static final String COMMON_NAMES = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='a' from='a' id='a' version='1.0' xml:lang='en'>"
            + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
            + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism/></mechanisms>"
            + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>"
            + "<sm xmlns='urn:xmpp:sm:3'/><csi xmlns='urn:xmpp:csi:0'/><ver xmlns='urn:xmpp:features:rosterver'/>"
            + "<c xmlns='http://jabber.org/protocol/caps' hash='a' node='a' ver='a'/></stream:features>"
            + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='a'/><challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
            + "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
            + "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text/></failure>"
            + "<enable xmlns='urn:xmpp:sm:3' resume='true' max='1'/><enabled xmlns='urn:xmpp:sm:3' id='a' location='a'/>"
            + "<resume xmlns='urn:xmpp:sm:3' h='1' previd='a'/><resumed xmlns='urn:xmpp:sm:3' h='1' previd='a'/>"
            + "<r xmlns='urn:xmpp:sm:3'/><a xmlns='urn:xmpp:sm:3' h='1'/>"
            + "<active xmlns='urn:xmpp:csi:0'/><inactive xmlns='urn:xmpp:csi:0'/>"
            + "<iq type='set' id='a'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource/><jid/></bind></iq>"
            + "<iq type='get' id='a'><query xmlns='jabber:iq:roster' ver='a'><item jid='a' name='a' subscription='both'"
            + " ask='subscribe' approved='true'><group/></item></query></iq>"
            + "<iq type='result' id='a'><query xmlns='http://jabber.org/protocol/disco#info' node='a'>"
            + "<identity category='a' type='a' name='a'/><feature var='a'/></query></iq>"
            + "<iq type='get' id='a'><ping xmlns='urn:xmpp:ping'/></iq>"
            + "<iq type='set' id='a'><enable xmlns='urn:xmpp:carbons:2'/></iq>"
            + "<iq type='error' id='a'><error type='cancel' by='a' code='1'><service-unavailable"
            + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><item-not-found/><feature-not-implemented/>"
            + "<bad-request/><forbidden/><not-allowed/><text/></error></iq>"
            + "<message to='a' from='a' type='chat' id='a' xml:lang='en'><body/><subject/><thread/>"
            + "<active xmlns='http://jabber.org/protocol/chatstates'/><composing/><paused/><inactive/><gone/>"
            + "<request xmlns='urn:xmpp:receipts'/><received id='a'/><markable xmlns='urn:xmpp:chat-markers:0'/>"
            + "<displayed id='a'/><origin-id xmlns='urn:xmpp:sid:0' id='a'/><stanza-id id='a' by='a'/>"
            + "<delay xmlns='urn:xmpp:delay' from='a' stamp='a'/><no-store xmlns='urn:xmpp:hints'/><store/>"
            + "<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'/></sent><private/>"
            + "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='a' role='a' nick='a'/><status code='1'/></x>"
            + "</message>"
            + "<presence to='a' type='unavailable'><show/><status/><priority/>"
            + "<c xmlns='http://jabber.org/protocol/caps' hash='a' node='a' ver='a'/>"
            + "<x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='1'/><password/></x></presence>"
            + "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
            + "</stream:stream>";

    private final int maxStanzaBytes;
    private final int maxHeaderBytes;
    private final int maxDepth;
    private final int maxAttributes;
    private final int maxAttributeValueLength;
    private final int maxTextLength;
    private final int maxNameLength;
    private final Set<String> contentNamespaces;
    /** One factory per configuration, so that its readers share Aalto's symbol tables. */
    private final AsyncXMLInputFactory inputFactory;

    private XmppDecoderConfig(Builder b) {
        this.maxStanzaBytes = b.maxStanzaBytes;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxDepth = b.maxDepth;
        this.maxAttributes = b.maxAttributes;
        this.maxAttributeValueLength = b.maxAttributeValueLength;
        this.maxTextLength = b.maxTextLength;
        this.maxNameLength = b.maxNameLength;
        this.contentNamespaces = Set.copyOf(b.contentNamespaces);
        this.inputFactory = newInputFactory();
    }

    /** A new configuration with the defaults; keep it per listener so that its parsers share symbol tables. */
    public static XmppDecoderConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxStanzaBytes = maxStanzaBytes;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxDepth = maxDepth;
        b.maxAttributes = maxAttributes;
        b.maxAttributeValueLength = maxAttributeValueLength;
        b.maxTextLength = maxTextLength;
        b.maxNameLength = maxNameLength;
        b.contentNamespaces.clear();
        b.contentNamespaces.addAll(contentNamespaces);
        return b;
    }

    /** The maximum raw bytes of one first-level element, whitespace before it included. */
    public int maxStanzaBytes() {
        return maxStanzaBytes;
    }

    /** The maximum raw bytes of the XML declaration and stream header. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The maximum element depth inside a first-level element, which is depth 1. */
    public int maxDepth() {
        return maxDepth;
    }

    /** The maximum attributes plus namespace declarations on one element. */
    public int maxAttributes() {
        return maxAttributes;
    }

    /** The maximum characters of one attribute value. */
    public int maxAttributeValueLength() {
        return maxAttributeValueLength;
    }

    /** The maximum characters of text directly inside one element. */
    public int maxTextLength() {
        return maxTextLength;
    }

    /** The maximum characters of a name or namespace name. */
    public int maxNameLength() {
        return maxNameLength;
    }

    /** The content namespaces a stream header may declare as its default namespace. */
    public Set<String> contentNamespaces() {
        return contentNamespaces;
    }

    AsyncXMLInputFactory inputFactory() {
        return inputFactory;
    }

    /**
     * RFC 6120 §11.1: entity references other than the predefined ones are restricted XML, so the
     * parser must report them rather than expand them, and it must never read a DTD.
     */
    private static AsyncXMLInputFactory newInputFactory() {
        InputFactoryImpl f = new InputFactoryImpl();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        // Text arrives in pieces as bytes arrive; the parser joins them and counts the total.
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        learnCommonNames(f);
        return f;
    }

    /** Puts {@link #COMMON_NAMES} into the factory's shared symbol table: closing a reader merges its names. */
    private static void learnCommonNames(AsyncXMLInputFactory factory) {
        byte[] sample = COMMON_NAMES.getBytes(StandardCharsets.UTF_8);
        AsyncXMLStreamReader<AsyncByteArrayFeeder> reader = factory.createAsyncForByteArray();
        try {
            reader.getInputFeeder().feedInput(sample, 0, sample.length);
            while (reader.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                // Reading the tokens is what adds their names.
            }
            reader.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the sample of common names does not parse", e);
        }
    }

    /** Builds an {@link XmppDecoderConfig}; not thread-safe. */
    public static final class Builder {
        private int maxStanzaBytes = DEFAULT_MAX_STANZA_BYTES;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int maxAttributes = DEFAULT_MAX_ATTRIBUTES;
        private int maxAttributeValueLength = DEFAULT_MAX_ATTRIBUTE_VALUE_LENGTH;
        private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
        private int maxNameLength = DEFAULT_MAX_NAME_LENGTH;
        private final Set<String> contentNamespaces =
                new LinkedHashSet<>(List.of(StreamNamespaces.CLIENT, StreamNamespaces.SERVER));

        private Builder() {
        }

        /** Sets the maximum raw bytes of one first-level element; at least 1. */
        public Builder maxStanzaBytes(int bytes) {
            this.maxStanzaBytes = positive(bytes, "maxStanzaBytes");
            return this;
        }

        /** Sets the maximum raw bytes of the XML declaration and stream header; at least 1. */
        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = positive(bytes, "maxHeaderBytes");
            return this;
        }

        /** Sets the maximum element depth inside a first-level element; at least 1. */
        public Builder maxDepth(int depth) {
            this.maxDepth = positive(depth, "maxDepth");
            return this;
        }

        /** Sets the maximum attributes plus namespace declarations per element; at least 1. */
        public Builder maxAttributes(int count) {
            this.maxAttributes = positive(count, "maxAttributes");
            return this;
        }

        /** Sets the maximum characters of one attribute value; at least 1. */
        public Builder maxAttributeValueLength(int chars) {
            this.maxAttributeValueLength = positive(chars, "maxAttributeValueLength");
            return this;
        }

        /** Sets the maximum characters of text directly inside one element; at least 1. */
        public Builder maxTextLength(int chars) {
            this.maxTextLength = positive(chars, "maxTextLength");
            return this;
        }

        /** Sets the maximum characters of a name or namespace name; at least 1. */
        public Builder maxNameLength(int chars) {
            this.maxNameLength = positive(chars, "maxNameLength");
            return this;
        }

        /** Replaces the accepted content namespaces, e.g. {@code jabber:client} alone for c2s. */
        public Builder contentNamespaces(String... namespaces) {
            if (namespaces.length == 0) {
                throw new IllegalArgumentException("at least one content namespace is required");
            }
            contentNamespaces.clear();
            for (String ns : namespaces) {
                contentNamespaces.add(Objects.requireNonNull(ns, "namespace"));
            }
            return this;
        }

        /** The immutable configuration. */
        public XmppDecoderConfig build() {
            return new XmppDecoderConfig(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return value;
        }
    }
}
