package dev.mu.xmpp.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Input for {@link C2sPipelineFuzzTest}: mutations of recorded streams, and XMPP-shaped token soup. */
final class StreamMutator {

    /** Pieces a client stream is made of, valid and not, for splicing and for token streams. */
    static final String[] TOKENS = {
        C2sPipelineFuzzTest.HEADER, C2sPipelineFuzzTest.AUTH, C2sPipelineFuzzTest.BIND,
        "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
        "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='other.org' version='2.0'>",
        "</stream:stream>", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj1hbGljZSxyPWFiYw==</auth>",
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%%%</auth>",
        "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHI9YWJj</response>",
        "<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
        "<enable xmlns='urn:xmpp:sm:3' resume='true'/>", "<enable xmlns='urn:xmpp:sm:3'/>",
        "<resume xmlns='urn:xmpp:sm:3' previd='nope' h='0'/>", "<resume xmlns='urn:xmpp:sm:3' h='x'/>",
        "<r xmlns='urn:xmpp:sm:3'/>", "<a xmlns='urn:xmpp:sm:3' h='0'/>", "<a xmlns='urn:xmpp:sm:3' h='4294967295'/>",
        "<a xmlns='urn:xmpp:sm:3' h='99999999999'/>", "<presence/>", "<presence type='unavailable'/>",
        "<presence to='bob@example.com' type='subscribe'/>", "<presence><priority>-129</priority></presence>",
        "<message to='bob@example.com' type='chat'><body>hi</body></message>",
        "<message to='alice@example.com/r'><body>self</body></message>", "<message to='@@'/>",
        "<message type='bogus' to='example.com'/>", "<iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq>",
        "<iq type='get'/>", "<iq type='result' id='x'/>", "<iq type='set' id='2'><query xmlns='jabber:iq:roster'><item jid='bob@example.com'/></query></iq>",
        "<iq type='get' id='3' to='example.com'><ping xmlns='urn:xmpp:ping'/></iq>",
        "<iq type='get' id='4'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
        "<iq type='set' id='5'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>",
        "<unknown xmlns='urn:example'/>", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&lol;", "<!-- c -->", "<?pi x?>",
        "<![CDATA[x]]>", "<a:b xmlns:a=''/>", "<x y='1' y='2'/>", "\u0000", "\uFFFE", "é", "\uD83D\uDE00", " ", "\n",
        "<message><body>", "</body></message>", "</iq>", ">", "<", "'", "=",
    };

    private StreamMutator() {
    }

    /** Applies {@code count} random mutations: flips, deletions, duplications, insertions, splices, truncation. */
    static byte[] mutate(byte[] seed, Random random, int count) {
        byte[] data = seed;
        for (int i = 0; i < count; i++) {
            int at = data.length == 0 ? 0 : random.nextInt(data.length);
            int len = Math.min(data.length - at, 1 + random.nextInt(64));
            data = switch (random.nextInt(8)) {
                case 0 -> flip(data, at, random);
                case 1 -> splice(data, at, len, new byte[0]);
                case 2 -> splice(data, at, 0, slice(data, at, len));
                case 3 -> splice(data, at, 0, randomBytes(random, 1 + random.nextInt(32)));
                case 4 -> splice(data, at, 0, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 5 -> slice(data, 0, at);
                case 6 -> splice(data, at, 0, nesting(random));
                default -> splice(data, at, 0, oversized(random));
            };
        }
        return data;
    }

    /** A stream of random tokens, often opened by a valid header and authentication. */
    static byte[] tokens(Random random, int count) {
        StringBuilder s = new StringBuilder();
        if (random.nextBoolean()) {
            s.append(C2sPipelineFuzzTest.HEADER);
            if (random.nextBoolean()) {
                s.append(C2sPipelineFuzzTest.AUTH).append(C2sPipelineFuzzTest.HEADER).append(C2sPipelineFuzzTest.BIND);
            }
        }
        for (int i = 0; i < count; i++) {
            s.append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        byte[] out = s.toString().getBytes(StandardCharsets.UTF_8);
        return random.nextInt(4) == 0 ? mutate(out, random, 1 + random.nextInt(3)) : out;
    }

    private static byte[] nesting(Random random) {
        int depth = 1 + random.nextInt(200);
        return ("<a>".repeat(depth) + (random.nextBoolean() ? "</a>".repeat(depth) : "")).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] oversized(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> ("<message><body>" + "x".repeat(70_000) + "</body></message>").getBytes(StandardCharsets.UTF_8);
            case 1 -> ("<message a='" + "y".repeat(70_000) + "'/>").getBytes(StandardCharsets.UTF_8);
            default -> {
                StringBuilder s = new StringBuilder("<message");
                for (int i = 0; i < 100; i++) {
                    s.append(" a").append(i).append("='v'");
                }
                yield s.append("/>").toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static byte[] flip(byte[] data, int at, Random random) {
        if (data.length == 0) {
            return data;
        }
        byte[] out = data.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] slice(byte[] data, int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(data, from, out, 0, len);
        return out;
    }

    private static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + insert.length);
        out.write(data, 0, at);
        out.write(insert, 0, insert.length);
        out.write(data, at + remove, data.length - at - remove);
        return out.toByteArray();
    }
}
