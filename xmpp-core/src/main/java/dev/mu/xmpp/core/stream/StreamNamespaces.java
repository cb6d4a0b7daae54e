package dev.mu.xmpp.core.stream;

/**
 * The namespace names that frame an XML stream.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-4.8">RFC 6120 §4.8</a>
 */
public final class StreamNamespaces {

    /** The namespace of {@code <stream:stream>}, {@code <stream:features>} and {@code <stream:error>} (RFC 6120 §4.8.1). */
    public static final String STREAMS = "http://etherx.jabber.org/streams";

    /** The content namespace of client-to-server streams (RFC 6120 §4.8.2). */
    public static final String CLIENT = "jabber:client";

    /** The content namespace of server-to-server streams (RFC 6120 §4.8.2). */
    public static final String SERVER = "jabber:server";

    /** The namespace of the defined conditions inside {@code <stream:error>} (RFC 6120 §4.9.2). */
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";

    /** The prefix this codec writes for {@link #STREAMS}; RFC 6120 §4.8.5 wants {@code stream}. */
    public static final String STREAM_PREFIX = "stream";

    private StreamNamespaces() {
    }
}
