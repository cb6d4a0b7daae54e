package dev.mu.xmpp.core.stream;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import dev.mu.xmpp.core.xml.XmlAttribute;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.core.xml.XmlNode;
import dev.mu.xmpp.core.xml.XmlText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the bytes of one XML stream into {@link XmppStreamEvent}s without blocking, on top of
 * Aalto's asynchronous parser: each first-level element is built into an immutable
 * {@link XmlElement} in one pass as its bytes arrive.
 *
 * <p>Input may be split anywhere, including inside a multi-byte UTF-8 character. The parser enforces
 * the restricted XML of RFC 6120 §11.1, the UTF-8 requirement of §11.6, the namespaces of §4.8 and
 * the limits of its {@link XmppDecoderConfig}. Any violation is reported once as a
 * {@link StreamViolation}; from then on all input is discarded until {@link #reset()}. Memory is
 * bounded by the limits: the parser never takes more bytes of a first-level element than
 * {@link XmppDecoderConfig#maxStanzaBytes()} plus one before reporting the violation.
 *
 * <p>Two ways to drive it: {@link #parse(ByteBuffer, Consumer)} pushes the events of a chunk to a
 * consumer; {@link #feed(byte[], int, int)} (or {@link #feed(ByteBuffer)}) and {@link #next()} pull
 * them one at a time, which lets a caller know exactly which bytes belong to which event (the Netty
 * decoder needs this to restart the stream at the right byte).
 *
 * <p>Aalto reads a {@code byte[]} much faster than a {@code ByteBuffer}, so input is read from its
 * array: arrays and heap buffers without a copy, direct buffers through a copy of at most
 * {@value #COPY_BYTES} bytes at a time into an array the parser keeps once it has needed one (until
 * {@link #releaseIdleState()}).
 *
 * <p>Between first-level elements the XML reader holds nothing but the open stream element, so
 * {@link #releaseIdleState()} lets an idle connection drop it; the next input restarts it inside
 * the same stream, behind a synthetic stream header that binds the same namespaces.
 *
 * <p>Not thread-safe: one parser per connection, used from the connection's thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-4">RFC 6120 §4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-11">RFC 6120 §11</a>
 */
public final class XmppStreamParser {

    private static final Logger log = LoggerFactory.getLogger(XmppStreamParser.class);

    /** Builders keep at most this much text capacity between stanzas, so that idle connections stay small. */
    private static final int RETAINED_CAPACITY = 1024;

    /** The most bytes of a direct buffer copied per {@link #feed(ByteBuffer)}; the size of the copy array. */
    static final int COPY_BYTES = 4096;

    private static final byte[] NO_BYTES = new byte[0];

    private enum State { PROLOG, OPEN, CLOSED, FAILED }

    /** States of the prolog scan, which runs on the raw bytes before Aalto sees them. */
    private static final int PROLOG_TEXT = 0;
    private static final int PROLOG_LT = 1;
    private static final int PROLOG_PI = 2;
    private static final int PROLOG_DONE = 3;

    private final XmppDecoderConfig config;
    /** The elements being built, by depth; created with the reader. */
    private Frame[] frames;
    /** Created for the first input after {@link #reset()} or {@link #releaseIdleState()}. */
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    /**
     * Where the reader's current input starts in its array: Aalto counts byte offsets from the start
     * of each array it is fed, so this is subtracted from the offsets it reports.
     */
    private int inputStart;
    /**
     * The stream offset of the reader's byte offset 0: negative by the length of the synthetic
     * header when the reader was restarted inside the stream, so that the header counts towards no limit.
     */
    private long readerBase;
    /** The copy of a direct buffer's bytes; allocated when a direct buffer is fed, dropped on release. */
    private byte[] copy;
    private State state;
    /** Bytes of this stream handed to the reader. */
    private long taken;
    /** Bytes of this stream fully processed: up to the end of the last event, or all taken bytes. */
    private long position;
    /** Where the unit being read (the header, or a first-level element and the whitespace before it) began. */
    private long unitStart;
    /** The reader holds bytes it has not finished. */
    private boolean lent;
    private int prolog;
    /** The start of a UTF-8 character cut at the end of the last input, and how many bytes of it. */
    private byte[] carry;
    private int carryLength;
    private XmppStreamEvent pending;
    private String contentNamespace;
    /** The stream header's namespace declarations, kept only if it declares more than the two required. */
    private Map<String, String> extraDeclarations;
    /** Where the whitespace at the end of the input given to the reader begins. */
    private long spaceFrom;
    /** The reader holds only the open stream: all it read ends with a first-level element or the header, and whitespace. */
    private boolean quiet;
    /** XML depth of the reader: 1 inside {@code <stream:stream>}, 2 inside a first-level element. */
    private int depth;
    private int generation;

    /** Creates a parser at the start of a stream. */
    public XmppStreamParser(XmppDecoderConfig config) {
        this.config = config;
        reset();
    }

    /**
     * Starts a fresh stream: the next byte fed is the first byte of a new stream (an XML declaration
     * or a stream header). Callers restart after STARTTLS (RFC 6120 §5.4.3.3) and after SASL success
     * (RFC 6120 §6.4.6). Bytes taken but not yet parsed are discarded: they belong to the old stream,
     * and a peer that sent them early, e.g. plaintext after {@code <starttls/>}, must not have them
     * read as part of the new one. May be called from inside {@link #parse(ByteBuffer, Consumer)}'s
     * consumer, which then discards the rest of that chunk.
     */
    public void reset() {
        closeReader();
        state = State.PROLOG;
        taken = 0;
        position = 0;
        unitStart = 0;
        lent = false;
        carryLength = 0;
        prolog = PROLOG_TEXT;
        pending = null;
        contentNamespace = null;
        extraDeclarations = null;
        spaceFrom = 0;
        quiet = false;
        clearFrames();
        depth = 0;
        generation++;
    }

    /**
     * Lets go of the XML reader, the element builders and the input copies while the stream rests
     * between first-level elements, which leaves an idle connection's parser a few hundred bytes; the
     * next input starts a fresh reader inside the same stream, and decoding goes on exactly as if
     * nothing had happened (same events, namespaces, limits and violations). Starting a reader costs
     * about as much as decoding a small stanza, so callers release only parsers that have been idle
     * for a while. Does nothing unless the input fed so far ends with a first-level element (or the
     * stream header) and whitespace, and {@link #next()} has returned that element or {@code null}
     * since.
     *
     * @return whether the parser now holds no reader
     */
    public boolean releaseIdleState() {
        if (reader == null) {
            return true;
        }
        // Lent input is all decoded if the last event ended it, as it does when a read ends with a stanza.
        if (!quiet || lent && position != taken || pending != null || carryLength > 0 || state != State.OPEN) {
            return false;
        }
        lent = false;
        closeReader();
        frames = null;
        carry = null;
        copy = null;
        return true;
    }

    /** Whether the parser holds an XML reader: from its first input until {@link #releaseIdleState()} or {@link #reset()}. */
    public boolean holdsReader() {
        return reader != null;
    }

    private void closeReader() {
        if (reader == null) {
            return;
        }
        try {
            // Hands the reader's buffers back to Aalto's per-thread recycler, for the next reader.
            reader.close();
        } catch (XMLStreamException | RuntimeException e) {
            log.debug("Closing the XML reader failed", e);
        }
        reader = null;
    }

    /**
     * Creates the reader for input that starts at stream offset {@code firstByte}: at the start of the
     * stream, or after {@link #releaseIdleState()} inside the open stream element, which a synthetic
     * header with the original namespace declarations opens again.
     */
    private void startReader(long firstByte) {
        reader = config.inputFactory().createAsyncForByteArray();
        if (frames == null) {
            frames = new Frame[config.maxDepth() + 2];
        }
        readerBase = 0;
        if (state != State.OPEN) {
            return;
        }
        byte[] header = syntheticHeader();
        boolean opened = false;
        try {
            reader.getInputFeeder().feedInput(header, 0, header.length);
            int token;
            // The start of the document and of the stream element, both already reported for this stream.
            while ((token = reader.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                opened |= token == XMLStreamConstants.START_ELEMENT;
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the synthetic stream header was refused", e);
        }
        if (!opened) {
            throw new IllegalStateException("the synthetic stream header did not open the stream");
        }
        readerBase = firstByte - header.length;
    }

    /** An opening {@code <stream:stream>} tag that binds what the stream's header bound. */
    private byte[] syntheticHeader() {
        StringBuilder b = new StringBuilder(128).append("<stream:stream");
        Map<String, String> declarations = extraDeclarations != null ? extraDeclarations
                : Map.of(StreamNamespaces.STREAM_PREFIX, StreamNamespaces.STREAMS, "", contentNamespace);
        for (Map.Entry<String, String> d : declarations.entrySet()) {
            b.append(d.getKey().isEmpty() ? " xmlns" : " xmlns:").append(d.getKey()).append("='");
            for (int i = 0; i < d.getValue().length(); i++) {
                char c = d.getValue().charAt(i);
                switch (c) {
                    case '&' -> b.append("&amp;");
                    case '<' -> b.append("&lt;");
                    case '\'' -> b.append("&apos;");
                    // Character references survive attribute value normalization; the characters would not.
                    case '\t', '\n', '\r' -> b.append("&#").append((int) c).append(';');
                    default -> b.append(c);
                }
            }
            b.append('\'');
        }
        return b.append('>').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes a chunk and passes its events, in order, to {@code sink}; consumes all remaining
     * bytes of {@code input}. If the sink calls {@link #reset()}, the rest of the chunk is
     * discarded (see there).
     */
    public void parse(ByteBuffer input, Consumer<? super XmppStreamEvent> sink) {
        int started = generation;
        for (;;) {
            XmppStreamEvent event;
            while ((event = next()) != null) {
                sink.accept(event);
                if (generation != started) {
                    input.position(input.limit());
                    return;
                }
            }
            if (!input.hasRemaining()) {
                return;
            }
            feed(input);
        }
    }

    /**
     * Hands the parser the remaining bytes of {@code input} and advances its position past those
     * taken; otherwise as {@link #feed(byte[], int, int)}. A heap buffer's array is read in place, so
     * its bytes must be left alone as described there; of a direct buffer at most
     * {@value #COPY_BYTES} bytes are taken at a time, as a copy.
     *
     * @return the number of bytes taken
     * @throws IllegalStateException if the previous input has not been fully decoded yet
     */
    public int feed(ByteBuffer input) {
        checkNotLent();
        if (!input.hasRemaining()) {
            return 0;
        }
        int start = input.position();
        int n;
        if (input.hasArray()) {
            n = feed(input.array(), input.arrayOffset() + start, input.remaining());
        } else {
            int length = Math.min(input.remaining(), COPY_BYTES);
            if (copy == null) {
                copy = new byte[COPY_BYTES];
            }
            input.get(start, copy, 0, length);
            n = feed(copy, 0, length);
        }
        input.position(start + n);
        return n;
    }

    /**
     * Hands the parser {@code length} bytes of {@code input} from {@code offset}, to be decoded by
     * {@link #next()}. The parser takes as many bytes as its limits allow (all of them, unless a limit
     * is about to be crossed) and keeps reading them in place, without copying (except up to 3 bytes
     * of a character cut at the end), until {@link #next()} returns {@code null}; until then the
     * caller must leave those bytes alone.
     *
     * @return the number of bytes taken, counted from {@code offset}
     * @throws IllegalStateException if the previous input has not been fully decoded yet
     */
    public int feed(byte[] input, int offset, int length) {
        checkNotLent();
        if (length == 0) {
            return 0;
        }
        if (state == State.CLOSED || state == State.FAILED) {
            taken += length;
            position = taken;
            return length;
        }
        if (carryLength > 0) {
            return completeCarry(input, offset, length);
        }
        // Take at most one byte past the limit of the current unit: crossing is detected as soon as the
        // reader has consumed the chunk, and the reader never holds more than the limit.
        long budget = limit() - (taken - unitStart);
        int n = (int) Math.min(length, budget + 1);
        if (taken == 0) {
            checkEncoding(input, offset, n);
        }
        if (prolog != PROLOG_DONE && pending == null) {
            scanProlog(input, offset, n);
        }
        // Aalto 1.3.3 decodes a 4-byte UTF-8 character in an attribute value wrongly when the character is
        // split between two buffers, so a character cut at the end of the chunk is held back (at most 3
        // bytes, copied) and fed whole with the next input.
        int tail = incompleteTail(input, offset, n);
        if (tail > 0) {
            if (carry == null) {
                carry = new byte[4];
            }
            System.arraycopy(input, offset + n - tail, carry, 0, tail);
        }
        carryLength = tail;
        taken += n;
        if (pending == null && n > tail) {
            feedReader(input, offset, n - tail);
        } else if (pending == null) {
            position = taken;
        }
        return n;
    }

    private void checkNotLent() {
        if (lent) {
            throw new IllegalStateException("call next() until it returns null before feeding more input");
        }
    }

    /** Takes the bytes that complete the held-back character and feeds it to the reader once whole. */
    private int completeCarry(byte[] input, int offset, int length) {
        int n = Math.min(utf8Length(carry[0]) - carryLength, length);
        System.arraycopy(input, offset, carry, carryLength, n);
        carryLength += n;
        taken += n;
        if (carryLength < utf8Length(carry[0])) {
            position = taken;
            return n;
        }
        int whole = carryLength;
        carryLength = 0;
        feedReader(carry, 0, whole);
        return n;
    }

    private void feedReader(byte[] input, int offset, int length) {
        int space = trailingSpace(input, offset, length);
        if (space < length) {
            quiet = false;
            spaceFrom = taken - carryLength - space;
        }
        if (reader == null) {
            startReader(taken - carryLength - length);
        }
        try {
            reader.getInputFeeder().feedInput(input, offset, length);
            inputStart = offset;
            lent = true;
        } catch (XMLStreamException e) {
            fail(StreamError.NOT_WELL_FORMED, "not well-formed XML", e);
        }
    }

    /** The number of whitespace bytes at the end of {@code [start, start + n)}. */
    private static int trailingSpace(byte[] buf, int start, int n) {
        int i = start + n;
        while (i > start && (buf[i - 1] == ' ' || buf[i - 1] == '\n' || buf[i - 1] == '\r' || buf[i - 1] == '\t')) {
            i--;
        }
        return start + n - i;
    }

    /** The number of bytes at the end of {@code [start, start + n)} that begin a UTF-8 character they do not finish. */
    private static int incompleteTail(byte[] buf, int start, int n) {
        for (int k = 1; k <= Math.min(3, n); k++) {
            int b = buf[start + n - k] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                return utf8Length((byte) b) > k ? k : 0;
            }
        }
        return 0;
    }

    /** The length of the UTF-8 sequence a lead byte starts; 1 for anything else, which the reader rejects. */
    private static int utf8Length(byte lead) {
        int b = lead & 0xFF;
        if (b >= 0xF0 && b <= 0xF7) {
            return 4;
        }
        if (b >= 0xE0) {
            return b <= 0xEF ? 3 : 1;
        }
        return b >= 0xC0 ? 2 : 1;
    }

    /**
     * Decodes the next event from the input fed so far.
     *
     * @return the next event, or {@code null} when all input fed has been decoded (feed more)
     */
    public XmppStreamEvent next() {
        if (pending != null) {
            XmppStreamEvent event = pending;
            pending = null;
            if (event instanceof StreamViolation) {
                releaseInput();
            }
            return event;
        }
        if (!lent) {
            return null;
        }
        if (state == State.CLOSED || state == State.FAILED) {
            releaseInput();
            return null;
        }
        try {
            for (;;) {
                int token;
                try {
                    token = reader.next();
                } catch (XMLStreamException e) {
                    return violation(StreamError.NOT_WELL_FORMED, "not well-formed XML", e);
                } catch (RuntimeException e) {
                    log.warn("The XML parser failed unexpectedly; treating the input as not well-formed", e);
                    return violation(StreamError.NOT_WELL_FORMED, "not well-formed XML", null);
                }
                XmppStreamEvent event = onToken(token);
                if (event != null) {
                    return event;
                }
                if (!lent) {
                    return null;
                }
            }
        } catch (XMLStreamException e) {
            return violation(StreamError.NOT_WELL_FORMED, "not well-formed XML", e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof XMLStreamException cause) {
                // Aalto reports some errors in lazily decoded content as unchecked exceptions.
                return violation(StreamError.NOT_WELL_FORMED, "not well-formed XML", cause);
            }
            log.error("Decoding the XML stream failed", e);
            return violation(StreamError.INTERNAL_SERVER_ERROR, "internal error while decoding the stream", null);
        }
    }

    /**
     * The number of bytes of this stream that are fully processed: everything up to the end of the
     * last event returned by {@link #next()}, or all bytes taken once {@code next()} returned
     * {@code null} or a violation. Restarts at 0 on {@link #reset()}.
     */
    public long position() {
        return position;
    }

    /** Whether a violation was reported; the parser then discards input until {@link #reset()}. */
    public boolean isFailed() {
        return state == State.FAILED;
    }

    /** Whether {@link #next()} has an event ready that took no further bytes. */
    boolean hasPendingEvent() {
        return pending != null;
    }

    /** Stops the parser after a failure outside it; for the Netty decoder's last-resort handling. */
    void abort() {
        state = State.FAILED;
        pending = null;
        clearFrames();
        releaseInput();
    }

    private XmppStreamEvent onToken(int token) throws XMLStreamException {
        switch (token) {
            case AsyncXMLStreamReader.EVENT_INCOMPLETE:
                releaseInput();
                // The reader has read everything it was fed but would keep the caller's array reachable
                // until the next input, which on an idle connection may be hours away.
                reader.getInputFeeder().feedInput(NO_BYTES, 0, 0);
                if (taken - unitStart > limit()) {
                    return state == State.PROLOG ? headerTooLong() : stanzaTooLong();
                }
                return null;
            case XMLStreamConstants.START_DOCUMENT:
                return onDeclaration();
            case XMLStreamConstants.START_ELEMENT:
                depth++;
                return depth == 1 ? onStreamOpen() : onStart();
            case XMLStreamConstants.END_ELEMENT:
                return onEnd();
            case XMLStreamConstants.CHARACTERS:
            case XMLStreamConstants.CDATA:
            case XMLStreamConstants.SPACE:
                return onText();
            // RFC 6120 §11.1: an entity that receives restricted XML MUST close the stream with an error,
            // which SHOULD be <restricted-xml/>.
            case XMLStreamConstants.COMMENT:
                return violation(StreamError.RESTRICTED_XML, "comments are restricted XML", null);
            case XMLStreamConstants.PROCESSING_INSTRUCTION:
                return violation(StreamError.RESTRICTED_XML, "processing instructions are restricted XML", null);
            case XMLStreamConstants.DTD:
                return violation(StreamError.RESTRICTED_XML, "DTDs are restricted XML", null);
            case XMLStreamConstants.ENTITY_REFERENCE:
                return violation(StreamError.RESTRICTED_XML,
                        "entity references other than the predefined ones are restricted XML", null);
            default:
                return null;
        }
    }

    /** The XML declaration, or its absence, at the start of the stream. */
    private XmppStreamEvent onDeclaration() {
        String encoding = reader.getCharacterEncodingScheme();
        // RFC 6120 §11.6: implementations MUST NOT attempt to use any encoding other than UTF-8.
        if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
            return violation(StreamError.UNSUPPORTED_ENCODING, "the stream must be encoded in UTF-8", null);
        }
        String version = reader.getVersion();
        if (version != null && !version.equals("1.0")) {
            // XMPP is XML 1.0 (RFC 6120 §11); XML 1.1 would admit control characters in content.
            return violation(StreamError.BAD_FORMAT, "the XML version must be 1.0", null);
        }
        return null;
    }

    private XmppStreamEvent onStreamOpen() throws XMLStreamException {
        // RFC 6120 §4.8.1: the root element MUST be qualified by the streams namespace; if it is not,
        // the receiver MUST close the stream with <invalid-namespace/>.
        if (!StreamNamespaces.STREAMS.equals(reader.getNamespaceURI()) || !"stream".equals(reader.getLocalName())) {
            return violation(StreamError.INVALID_NAMESPACE,
                    "the root element must be <stream> in " + StreamNamespaces.STREAMS, null);
        }
        // RFC 6120 §4.8.5 and §4.9.3.2: the stream namespace is written with the prefix 'stream'.
        if (!StreamNamespaces.STREAM_PREFIX.equals(reader.getPrefix())) {
            return violation(StreamError.BAD_NAMESPACE_PREFIX, "the stream element must use the prefix 'stream'", null);
        }
        int nsCount = reader.getNamespaceCount();
        int attrCount = reader.getAttributeCount();
        if (nsCount + attrCount > config.maxAttributes()) {
            return tooManyAttributes();
        }
        Map<String, String> declarations = new LinkedHashMap<>(nsCount * 2);
        for (int i = 0; i < nsCount; i++) {
            String prefix = reader.getNamespacePrefix(i);
            String uri = reader.getNamespaceURI(i);
            declarations.put(prefix == null ? "" : prefix, uri == null ? "" : uri);
        }
        String content = declarations.get("");
        // RFC 6120 §4.8.2: a content namespace the receiver does not support is an <invalid-namespace/>.
        if (content == null || !config.contentNamespaces().contains(content)) {
            return violation(StreamError.INVALID_NAMESPACE, "unsupported content namespace", null);
        }
        List<XmlAttribute> attributes = new ArrayList<>(attrCount);
        StreamViolation rejected = readAttributes(attrCount, attributes);
        if (rejected != null) {
            return rejected;
        }
        long end = endOffset();
        if (end > config.maxHeaderBytes()) {
            return headerTooLong();
        }
        contentNamespace = content;
        Map<String, String> declared = Collections.unmodifiableMap(declarations);
        extraDeclarations = declarations.size() > 2 ? declared : null;
        state = State.OPEN;
        prolog = PROLOG_DONE;
        position = unitStart = end;
        quiet = end >= spaceFrom;
        if (reader.isEmptyElement()) {
            // <stream:stream/> opens and closes the stream in one tag; its end takes no further bytes.
            state = State.CLOSED;
            pending = StreamClose.INSTANCE;
        }
        return new StreamOpen(content, Collections.unmodifiableList(attributes), declared);
    }

    private XmppStreamEvent onStart() {
        int level = depth - 1;
        if (level > config.maxDepth()) {
            return violation(StreamError.POLICY_VIOLATION,
                    "elements nest deeper than " + config.maxDepth() + " levels", null);
        }
        String name = reader.getLocalName();
        String namespace = reader.getNamespaceURI();
        namespace = namespace == null ? "" : namespace;
        if (!nameFits(reader.getPrefix(), name) || namespace.length() > config.maxNameLength()) {
            return nameTooLong();
        }
        // RFC 6120 §4.9.3.24: a first-level child the server does not support; the streams namespace
        // defines only <stream:features/> and <stream:error/> there.
        if (level == 1 && namespace.equals(StreamNamespaces.STREAMS)
                && !name.equals("features") && !name.equals("error")) {
            return violation(StreamError.UNSUPPORTED_STANZA_TYPE,
                    "unsupported first-level element in the streams namespace", null);
        }
        if (namespace.equals(contentNamespace)) {
            namespace = XmlElement.CONTENT_NS;
        }
        int nsCount = reader.getNamespaceCount();
        int attrCount = reader.getAttributeCount();
        if (nsCount + attrCount > config.maxAttributes()) {
            return tooManyAttributes();
        }
        for (int i = 0; i < nsCount; i++) {
            String uri = reader.getNamespaceURI(i);
            if (!nameFits(reader.getNamespacePrefix(i), "") || uri != null && uri.length() > config.maxNameLength()) {
                return nameTooLong();
            }
        }
        if (level > 1) {
            frames[depth - 1].flushText();
        }
        Frame frame = frames[depth];
        if (frame == null) {
            frame = frames[depth] = new Frame();
        }
        frame.namespace = namespace;
        frame.name = name;
        StreamViolation rejected = readAttributes(attrCount, frame.attributes);
        if (rejected != null) {
            return rejected;
        }
        return null;
    }

    private XmppStreamEvent onEnd() throws XMLStreamException {
        if (depth == 1) {
            // RFC 6120 §4.4: the peer closed its stream.
            depth = 0;
            state = State.CLOSED;
            position = endOffset();
            return StreamClose.INSTANCE;
        }
        Frame frame = frames[depth];
        frame.flushText();
        XmlElement element = frame.build();
        depth--;
        if (depth > 1) {
            frames[depth].children.add(element);
            return null;
        }
        long end = endOffset();
        if (end - unitStart > config.maxStanzaBytes()) {
            return stanzaTooLong();
        }
        int wireBytes = (int) (end - unitStart);
        position = unitStart = end;
        quiet = end >= spaceFrom;
        return new StreamElement(element, wireBytes);
    }

    private XmppStreamEvent onText() throws XMLStreamException {
        char[] chars = reader.getTextCharacters();
        int start = reader.getTextStart();
        int length = reader.getTextLength();
        if (depth <= 1) {
            for (int i = start, end = start + length; i < end; i++) {
                char c = chars[i];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return violation(StreamError.BAD_FORMAT, "character data between first-level elements", null);
                }
            }
            // Whitespace between stanzas (e.g. RFC 6120 §4.6.1 keepalives) counts towards the next stanza's
            // limit, so that a flood of it is cut off like any other oversized input; it takes 256 Ki
            // one-byte keepalives without a stanza in between to reach the default limit.
            position = endOffset();
            return null;
        }
        Frame frame = frames[depth];
        if (frame.textLength + length > config.maxTextLength()) {
            return violation(StreamError.POLICY_VIOLATION,
                    "text exceeds " + config.maxTextLength() + " characters", null);
        }
        frame.appendText(chars, start, length);
        return null;
    }

    /** Reads the attributes of the current element into {@code into}, or returns the limit they cross. */
    private StreamViolation readAttributes(int count, List<XmlAttribute> into) {
        for (int i = 0; i < count; i++) {
            String name = reader.getAttributeLocalName(i);
            if (!nameFits(reader.getAttributePrefix(i), name)) {
                return nameTooLong();
            }
            String value = reader.getAttributeValue(i);
            if (value.length() > config.maxAttributeValueLength()) {
                return violation(StreamError.POLICY_VIOLATION,
                        "attribute value exceeds " + config.maxAttributeValueLength() + " characters", null);
            }
            String namespace = reader.getAttributeNamespace(i);
            into.add(new XmlAttribute(namespace == null ? "" : namespace, name, value));
        }
        return null;
    }

    /** The stream offset of the end of the current event. */
    private long endOffset() throws XMLStreamException {
        return reader.getLocationInfo().getEndingByteOffset() - inputStart + readerBase;
    }

    private boolean nameFits(String prefix, String localName) {
        int length = localName.length() + (prefix == null ? 0 : prefix.length());
        return length <= config.maxNameLength();
    }

    private StreamViolation headerTooLong() {
        return violation(StreamError.POLICY_VIOLATION, "stream header exceeds " + config.maxHeaderBytes() + " bytes", null);
    }

    private StreamViolation stanzaTooLong() {
        return violation(StreamError.POLICY_VIOLATION, "stanza exceeds " + config.maxStanzaBytes() + " bytes", null);
    }

    private StreamViolation nameTooLong() {
        return violation(StreamError.POLICY_VIOLATION, "name exceeds " + config.maxNameLength() + " characters", null);
    }

    private StreamViolation tooManyAttributes() {
        return violation(StreamError.POLICY_VIOLATION,
                "element has more than " + config.maxAttributes() + " attributes and namespace declarations", null);
    }

    /** Rejects encodings other than UTF-8 by the first bytes, before the parser misreads them. */
    private void checkEncoding(byte[] input, int start, int n) {
        int b0 = input[start] & 0xFF;
        int b1 = n > 1 ? input[start + 1] & 0xFF : -1;
        // UTF-16 and UTF-32 byte order marks, or '<' encoded in 16 or 32 bits (XML 1.0 Appendix F).
        if (b0 == 0xFE || b0 == 0xFF || b0 == 0x00 || b0 == '<' && b1 == 0x00) {
            fail(StreamError.UNSUPPORTED_ENCODING, "the stream must be encoded in UTF-8", null);
        }
    }

    /**
     * Looks at the raw bytes before the root element for {@code <!}, which there can only open a
     * DOCTYPE or a comment: both restricted (RFC 6120 §11.1). Refusing the bytes before the XML parser
     * sees them keeps entity declarations (a "billion laughs" document) away from it altogether.
     */
    private void scanProlog(byte[] input, int start, int n) {
        for (int i = start, end = start + n; i < end; i++) {
            byte b = input[i];
            switch (prolog) {
                case PROLOG_TEXT -> {
                    if (b == '<') {
                        prolog = PROLOG_LT;
                    }
                }
                case PROLOG_LT -> {
                    if (b == '!') {
                        fail(StreamError.RESTRICTED_XML, "DTDs and comments are restricted XML", null);
                        return;
                    }
                    if (b != '?') {
                        prolog = PROLOG_DONE;
                        return;
                    }
                    prolog = PROLOG_PI;
                }
                case PROLOG_PI -> {
                    if (b == '>') {
                        prolog = PROLOG_TEXT;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    private int limit() {
        return state == State.PROLOG ? config.maxHeaderBytes() : config.maxStanzaBytes();
    }

    /** Records a violation to be returned by the next call of {@link #next()}. */
    private void fail(StreamError error, String text, XMLStreamException cause) {
        pending = violation(error, text, cause);
    }

    /** Stops the parser and returns the violation to report. */
    private StreamViolation violation(StreamError error, String text, XMLStreamException cause) {
        if (cause != null) {
            // The peer's fault, not ours: only worth a debug line, and the parser's message stays out of
            // the violation text, which may be sent back to the peer.
            log.debug("XML stream rejected ({}): {}", error.elementName(), cause.getMessage());
        }
        state = State.FAILED;
        clearFrames();
        releaseInput();
        return new StreamViolation(error, text);
    }

    private void releaseInput() {
        lent = false;
        position = taken;
    }

    private void clearFrames() {
        if (frames == null) {
            return;
        }
        for (Frame f : frames) {
            if (f != null) {
                f.clear();
            }
        }
    }

    /** The element being built at one depth; reused from stanza to stanza. */
    private static final class Frame {
        String namespace;
        String name;
        final ArrayList<XmlAttribute> attributes = new ArrayList<>(4);
        ArrayList<XmlNode> children = new ArrayList<>(4);
        /** The text since the last child while it is one piece, as most text is: no builder copy. */
        String piece;
        /** The text since the last child once a second piece arrived; created when first needed. */
        StringBuilder text;
        int textLength;

        void appendText(char[] chars, int start, int length) {
            if (length == 0) {
                return;
            }
            if (piece == null && (text == null || text.length() == 0)) {
                piece = new String(chars, start, length);
            } else {
                if (text == null) {
                    text = new StringBuilder(piece.length() + length);
                }
                if (piece != null) {
                    text.append(piece);
                    piece = null;
                }
                text.append(chars, start, length);
            }
            textLength += length;
        }

        /** Turns the text gathered since the last child into one text node. */
        void flushText() {
            if (piece != null) {
                children.add(new XmlText(piece));
                piece = null;
            } else if (text != null && text.length() > 0) {
                children.add(new XmlText(text.toString()));
                text.setLength(0);
            }
        }

        XmlElement build() {
            XmlElement e = XmlElement.of(namespace, name, attributes, children);
            clear();
            return e;
        }

        void clear() {
            namespace = null;
            name = null;
            piece = null;
            attributes.clear();
            if (children.size() > RETAINED_CAPACITY / 16) {
                children = new ArrayList<>(4);
            } else {
                children.clear();
            }
            if (text != null && text.capacity() > RETAINED_CAPACITY) {
                text = null;
            } else if (text != null) {
                text.setLength(0);
            }
            textLength = 0;
        }
    }
}
