package dev.mu.xmpp.core.stream;

import dev.mu.xmpp.core.xml.XmlElement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic client-to-server stream of {@value #STANZAS} stanzas (about 1 MB) shaped like a
 * real chat session, for the codec benchmarks.
 *
 * <p>The mix, by stanza count: 42% chat messages with a body (5 to 600 characters, a third of them
 * non-ASCII: accented Latin, Cyrillic, CJK and emoji, some with escaped {@code &amp;} and
 * {@code &lt;}), an {@code <active/>} chat state and a receipt request, sometimes an
 * {@code <origin-id/>}; 15% standalone chat states; 10% delivery receipts; 16% presences with
 * {@code <show/>}, {@code <status/>}, {@code <priority/>} and entity capabilities; 17% IQs: roster
 * get, roster push results with a few items, disco#info queries and results, pings. The same seed
 * always gives the same bytes, so runs are comparable.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class ClientStreamCorpus {

    /** The number of stanzas in the stream; a constant so benchmarks can report per-stanza figures. */
    public static final int STANZAS = 4000;

    /** The stream header a client sends after TLS and SASL (RFC 6120 §4.7). */
    public static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' xml:lang='en'>";

    /** The stream's closing tag (RFC 6120 §4.4). */
    public static final String CLOSE = "</stream:stream>";

    private static final String[] CONTACTS = {
        "bob@example.com", "carol@example.com", "dave@example.org", "erin@chat.example.net",
        "frank@example.com", "grace@conference.example.com", "heidi@example.com", "ivan@example.org",
    };

    private static final String[] WORDS = {
        "hello", "the", "meeting", "is", "at", "three", "see", "you", "later", "ok", "thanks", "for",
        "sending", "that", "file", "did", "it", "work", "yes", "no", "maybe", "tomorrow", "lunch",
        "deploy", "build", "green", "again", "what", "about", "this", "weekend", "sounds", "good",
    };

    private static final String[] NON_ASCII_WORDS = {
        "Grüße", "schön", "à", "bientôt", "ça", "va", "señor", "mañana", "Привет", "как", "дела",
        "спасибо", "こんにちは", "ありがとう", "你好", "谢谢", "안녕하세요", "😀", "👍", "🎉", "naïve", "Zürich",
    };

    private static final String[] CHAT_STATES = {"composing", "paused", "active", "inactive", "gone"};

    private static final String[] SHOWS = {"away", "chat", "dnd", "xa"};

    private static final String[] CAPS_NODES = {
        "https://conversations.im", "https://gajim.org", "https://dino.im", "http://psi-im.org",
    };

    private static final String[] FEATURES = {
        "http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info",
        "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/chatstates",
        "urn:xmpp:receipts", "urn:xmpp:ping", "urn:xmpp:time", "jabber:iq:version",
        "urn:xmpp:carbons:2", "urn:xmpp:mam:2", "urn:xmpp:sid:0", "http://jabber.org/protocol/muc",
    };

    private final byte[] bytes;
    private final int headerBytes;
    private final int stanzaBytes;
    private final int nonAsciiBodies;

    private ClientStreamCorpus(byte[] bytes, int headerBytes, int stanzaBytes, int nonAsciiBodies) {
        this.bytes = bytes;
        this.headerBytes = headerBytes;
        this.stanzaBytes = stanzaBytes;
        this.nonAsciiBodies = nonAsciiBodies;
    }

    /** Builds the stream with the default seed. */
    public static ClientStreamCorpus build() {
        return build(0x6d75_786d_7070L);
    }

    /** Builds the stream; equal seeds give equal bytes. */
    public static ClientStreamCorpus build(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder stanzas = new StringBuilder(1 << 20);
        int nonAscii = 0;
        for (int i = 0; i < STANZAS; i++) {
            int kind = random.nextInt(100);
            String id = "a" + Integer.toHexString(i) + "-" + Integer.toHexString(random.nextInt(1 << 24));
            String contact = CONTACTS[random.nextInt(CONTACTS.length)];
            if (kind < 42) {
                boolean international = random.nextInt(3) == 0;
                nonAscii += international ? 1 : 0;
                stanzas.append("<message to='").append(contact).append("' type='chat' id='").append(id)
                        .append("'><body>");
                appendBody(stanzas, random, international);
                stanzas.append("</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
                        + "<request xmlns='urn:xmpp:receipts'/>");
                if (random.nextBoolean()) {
                    stanzas.append("<origin-id xmlns='urn:xmpp:sid:0' id='").append(id).append("'/>");
                }
                stanzas.append("</message>");
            } else if (kind < 57) {
                stanzas.append("<message to='").append(contact).append("' type='chat' id='").append(id)
                        .append("'><").append(CHAT_STATES[random.nextInt(CHAT_STATES.length)])
                        .append(" xmlns='http://jabber.org/protocol/chatstates'/></message>");
            } else if (kind < 67) {
                stanzas.append("<message to='").append(contact).append("/phone' id='").append(id)
                        .append("'><received xmlns='urn:xmpp:receipts' id='b")
                        .append(Integer.toHexString(random.nextInt())).append("'/></message>");
            } else if (kind < 83) {
                appendPresence(stanzas, random);
            } else {
                appendIq(stanzas, random, id, contact);
            }
            if (random.nextInt(20) == 0) {
                // Some clients pretty-print, and whitespace keepalives arrive between stanzas.
                stanzas.append('\n');
            }
        }
        byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        byte[] body = stanzas.toString().getBytes(StandardCharsets.UTF_8);
        byte[] close = CLOSE.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[header.length + body.length + close.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        System.arraycopy(close, 0, all, header.length + body.length, close.length);
        return new ClientStreamCorpus(all, header.length, body.length, nonAscii);
    }

    private static void appendBody(StringBuilder sb, SplittableRandom random, boolean international) {
        // Mostly short lines, a long tail of pasted paragraphs.
        int target = random.nextInt(10) < 7 ? 5 + random.nextInt(60) : 60 + random.nextInt(540);
        int start = sb.length();
        while (sb.length() - start < target) {
            if (sb.length() > start) {
                sb.append(' ');
            }
            if (international && random.nextInt(2) == 0) {
                sb.append(NON_ASCII_WORDS[random.nextInt(NON_ASCII_WORDS.length)]);
            } else {
                sb.append(WORDS[random.nextInt(WORDS.length)]);
            }
            int r = random.nextInt(40);
            if (r == 0) {
                sb.append(" &amp;");
            } else if (r == 1) {
                sb.append(" &lt;3");
            } else if (r == 2) {
                sb.append('.');
            }
        }
    }

    private static void appendPresence(StringBuilder sb, SplittableRandom random) {
        sb.append("<presence");
        if (random.nextInt(10) == 0) {
            sb.append(" id='p").append(Integer.toHexString(random.nextInt())).append('\'');
        }
        sb.append('>');
        if (random.nextBoolean()) {
            sb.append("<show>").append(SHOWS[random.nextInt(SHOWS.length)]).append("</show>");
        }
        if (random.nextInt(3) == 0) {
            sb.append("<status>");
            appendBody(sb, random, random.nextInt(4) == 0);
            sb.append("</status>");
        }
        sb.append("<priority>").append(random.nextInt(11) - 1).append("</priority>");
        sb.append("<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='")
                .append(CAPS_NODES[random.nextInt(CAPS_NODES.length)]).append("' ver='");
        for (int k = 0; k < 27; k++) {
            sb.append((char) ('A' + random.nextInt(26)));
        }
        sb.append("='/></presence>");
    }

    private static void appendIq(StringBuilder sb, SplittableRandom random, String id, String contact) {
        switch (random.nextInt(5)) {
            case 0 -> sb.append("<iq type='get' id='").append(id)
                    .append("'><query xmlns='jabber:iq:roster' ver='ver")
                    .append(random.nextInt(100)).append("'/></iq>");
            case 1 -> {
                sb.append("<iq type='set' id='").append(id).append("'><query xmlns='jabber:iq:roster'>");
                int items = 1 + random.nextInt(3);
                for (int k = 0; k < items; k++) {
                    String jid = CONTACTS[random.nextInt(CONTACTS.length)];
                    sb.append("<item jid='").append(jid).append("' name='")
                            .append(jid, 0, jid.indexOf('@')).append("'><group>")
                            .append(random.nextBoolean() ? "Friends" : "Arbeit & Büro".replace("&", "&amp;"))
                            .append("</group></item>");
                }
                sb.append("</query></iq>");
            }
            case 2 -> sb.append("<iq type='get' to='").append(contact).append("/laptop' id='").append(id)
                    .append("'><query xmlns='http://jabber.org/protocol/disco#info' node='")
                    .append(CAPS_NODES[random.nextInt(CAPS_NODES.length)]).append("#ver'/></iq>");
            case 3 -> {
                sb.append("<iq type='result' to='").append(contact).append("/laptop' id='").append(id)
                        .append("'><query xmlns='http://jabber.org/protocol/disco#info'>"
                                + "<identity category='client' type='phone' name='Conversations'/>");
                for (String feature : FEATURES) {
                    sb.append("<feature var='").append(feature).append("'/>");
                }
                sb.append("</query></iq>");
            }
            default -> sb.append("<iq type='get' to='example.com' id='").append(id)
                    .append("'><ping xmlns='urn:xmpp:ping'/></iq>");
        }
    }

    /** The whole stream, header and closing tag included, as UTF-8. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The length of the whole stream in bytes. */
    public int length() {
        return bytes.length;
    }

    /** The whole stream in a new direct buffer, as a socket read would deliver it. */
    public ByteBuffer directBuffer() {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b;
    }

    /** The first-level elements of the stream, decoded once with the default limits. */
    public List<XmlElement> elements() {
        List<XmlElement> out = new ArrayList<>(STANZAS);
        XmppStreamParser parser = new XmppStreamParser(XmppDecoderConfig.defaults());
        parser.parse(ByteBuffer.wrap(bytes), event -> {
            if (event instanceof StreamElement e) {
                out.add(e.element());
            } else if (event instanceof StreamViolation v) {
                throw new IllegalStateException("the corpus does not decode: " + v);
            }
        });
        if (out.size() != STANZAS) {
            throw new IllegalStateException("decoded " + out.size() + " stanzas, expected " + STANZAS);
        }
        return Collections.unmodifiableList(out);
    }

    /** A one-line description for benchmark logs. */
    public String describe() {
        return String.format("client stream: %d bytes (header %d, stanzas %d, close %d), %d stanzas,"
                        + " %.1f bytes/stanza, %d non-ASCII bodies",
                bytes.length, headerBytes, stanzaBytes, bytes.length - headerBytes - stanzaBytes, STANZAS,
                (double) stanzaBytes / STANZAS, nonAsciiBodies);
    }
}
