package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlElement;

/**
 * The defined conditions of a stream error; the element name of each is its {@link #elementName()}.
 *
 * <p>A stream error is unrecoverable: the entity that detects it sends {@code <stream:error>} and
 * closes the stream (RFC 6120 §4.9.1.1).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-4.9.3">RFC 6120 §4.9.3</a>
 */
public enum StreamError {
    /** §4.9.3.1: XML that cannot be processed. */
    BAD_FORMAT("bad-format"),
    /** §4.9.3.2: an unsupported namespace prefix, or none where one is required. */
    BAD_NAMESPACE_PREFIX("bad-namespace-prefix"),
    /** §4.9.3.3: a new stream conflicts with an existing one. */
    CONFLICT("conflict"),
    /** §4.9.3.4: no traffic for too long. */
    CONNECTION_TIMEOUT("connection-timeout"),
    /** §4.9.3.5: the 'to' domain is no longer serviced. */
    HOST_GONE("host-gone"),
    /** §4.9.3.6: the 'to' domain is not serviced. */
    HOST_UNKNOWN("host-unknown"),
    /** §4.9.3.7: a stanza lacks a required 'to' or 'from', or it has no valid JID. */
    IMPROPER_ADDRESSING("improper-addressing"),
    /** §4.9.3.8: a misconfiguration or internal error prevents servicing the stream. */
    INTERNAL_SERVER_ERROR("internal-server-error"),
    /** §4.9.3.9: the 'from' address does not match an authorized one. */
    INVALID_FROM("invalid-from"),
    /** §4.9.3.10: the stream or content namespace is not supported. */
    INVALID_NAMESPACE("invalid-namespace"),
    /** §4.9.3.11: XML that violates the schema, for validating servers. */
    INVALID_XML("invalid-xml"),
    /** §4.9.3.12: data sent before the stream was authenticated. */
    NOT_AUTHORIZED("not-authorized"),
    /** §4.9.3.13: XML that is not well-formed. */
    NOT_WELL_FORMED("not-well-formed"),
    /** §4.9.3.14: a local service policy was violated, e.g. a stanza exceeds a configured size limit. */
    POLICY_VIOLATION("policy-violation"),
    /** §4.9.3.15: a remote server needed for the stream could not be reached. */
    REMOTE_CONNECTION_FAILED("remote-connection-failed"),
    /** §4.9.3.16: the stream must be reset, e.g. after a security-critical change. */
    RESET("reset"),
    /** §4.9.3.17: the server lacks the resources to service the stream. */
    RESOURCE_CONSTRAINT("resource-constraint"),
    /** §4.9.3.18: restricted XML: comments, processing instructions, DTDs, entity references (§11.1). */
    RESTRICTED_XML("restricted-xml"),
    /** §4.9.3.19: the peer should connect to another host, named in the element's text. */
    SEE_OTHER_HOST("see-other-host"),
    /** §4.9.3.20: the server is shutting down. */
    SYSTEM_SHUTDOWN("system-shutdown"),
    /** §4.9.3.21: none of the other conditions applies; used with an application-specific condition. */
    UNDEFINED_CONDITION("undefined-condition"),
    /** §4.9.3.22: an encoding other than UTF-8 (§11.6). */
    UNSUPPORTED_ENCODING("unsupported-encoding"),
    /** §4.9.3.23: a mandatory-to-negotiate feature is not supported. */
    UNSUPPORTED_FEATURE("unsupported-feature"),
    /** §4.9.3.24: a first-level child of the stream that is not supported. */
    UNSUPPORTED_STANZA_TYPE("unsupported-stanza-type"),
    /** §4.9.3.25: the 'version' of the stream header is not supported. */
    UNSUPPORTED_VERSION("unsupported-version");

    private final String elementName;

    StreamError(String elementName) {
        this.elementName = elementName;
    }

    /** The local name of the condition element, e.g. {@code policy-violation}. */
    public String elementName() {
        return elementName;
    }

    /**
     * Builds the {@code <stream:error>} element for this condition.
     *
     * @param textOrNull a human-readable description for the {@code <text/>} child (RFC 6120 §4.9.2), or
     *                   {@code null} for none; it is not localized, so no {@code xml:lang} is written
     * @return {@code <error xmlns='http://etherx.jabber.org/streams'>} holding the condition
     */
    public XmlElement toElement(String textOrNull) {
        XmlElement.Builder error = XmlElement.builder(StreamNamespaces.STREAMS, "error")
                .child(XmlElement.empty(StreamNamespaces.STREAM_ERRORS, elementName));
        if (textOrNull != null && !textOrNull.isEmpty()) {
            error.child(XmlElement.builder(StreamNamespaces.STREAM_ERRORS, "text").text(textOrNull).build());
        }
        return error.build();
    }

    /**
     * The condition named by {@code elementName}, for reading a {@code <stream:error>} from the peer.
     *
     * @return the condition, or {@code null} when the name is not a defined condition
     */
    public static StreamError fromElementName(String elementName) {
        for (StreamError e : values()) {
            if (e.elementName.equals(elementName)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The defined condition inside a received {@code <stream:error>} element.
     *
     * @return the first defined condition child, or {@link #UNDEFINED_CONDITION} when there is none
     */
    public static StreamError of(XmlElement streamError) {
        for (XmlElement child : streamError.elements()) {
            if (child.namespace().equals(StreamNamespaces.STREAM_ERRORS)) {
                StreamError e = fromElementName(child.name());
                if (e != null) {
                    return e;
                }
            }
        }
        return UNDEFINED_CONDITION;
    }
}
