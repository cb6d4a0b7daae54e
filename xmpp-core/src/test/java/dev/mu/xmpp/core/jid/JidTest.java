package dev.mu.xmpp.core.jid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.jid.JidFormatException.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JidTest {

    /** RFC 7622 §3.5, examples 1–15 (valid), with the normalised form each must take. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            juliet@example.com         | juliet@example.com
            juliet@example.com/foo     | juliet@example.com/foo
            juliet@example.com/foo bar | juliet@example.com/foo bar
            juliet@example.com/foo@bar | juliet@example.com/foo@bar
            foo\\20bar@example.com     | foo\\20bar@example.com
            fussball@example.com       | fussball@example.com
            fußball@example.com        | fußball@example.com
            π@example.com              | π@example.com
            Σ@example.com/foo          | σ@example.com/foo
            σ@example.com/foo          | σ@example.com/foo
            ς@example.com/foo          | ς@example.com/foo
            king@example.com/♚         | king@example.com/♚
            example.com                | example.com
            example.com/foobar         | example.com/foobar
            a.example.com/b@example.net| a.example.com/b@example.net
            """)
    void rfc7622ValidExamples(String input, String normalised) {
        Jid jid = Jid.parse(input);
        assertEquals(normalised, jid.toString());
        assertEquals(jid, Jid.parse(normalised));
    }

    /**
     * RFC 7622 §3.5, examples 16–23 (invalid). Example 18, {@code juliet@example.com/ foo}, is left
     * out: verified erratum 4560 withdrew it, since OpaqueString allows a leading space.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            "juliet"@example.com | LOCAL
            foo bar@example.com  | LOCAL
            @example.com/        | LOCAL
            henryⅣ@example.com   | LOCAL
            ♚@example.com        | LOCAL
            juliet@              | DOMAIN
            /foobar              | DOMAIN
            """)
    void rfc7622InvalidExamples(String input, Part part) {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse(input));
        assertEquals(part, e.part());
    }

    @Test
    void erratum4560LeadingSpaceInResourceIsValid() {
        assertEquals(" foo", Jid.parse("juliet@example.com/ foo").resource());
    }

    @Test
    void partsAndLattice() {
        Jid full = Jid.parse("Juliet@Example.com/Balcony/Window@Night");
        FullJid f = assertInstanceOf(FullJid.class, full);
        assertEquals("juliet", f.local());
        assertEquals("example.com", f.domain());
        assertEquals("Balcony/Window@Night", f.resource());
        assertEquals(EntityBareJid.of("juliet@example.com"), f.asBare());
        assertEquals(DomainJid.of("example.com"), f.asDomain());
        assertTrue(f.hasLocal());
        assertTrue(f.hasResource());

        Jid domain = Jid.parse("example.com");
        assertInstanceOf(DomainJid.class, domain);
        assertNull(domain.local());
        assertNull(domain.resource());
        assertFalse(domain.hasLocal());
        assertSame(domain, domain.asBare());

        FullJid serverResource = assertInstanceOf(FullJid.class, Jid.parse("example.com/res"));
        assertNull(serverResource.local());
        assertInstanceOf(DomainJid.class, serverResource.asBare());
    }

    @Test
    void typedFactoriesRejectTheWrongShape() {
        assertEquals(Part.SHAPE, assertThrows(JidFormatException.class, () -> BareJid.of("a@b.example/r")).part());
        assertEquals(Part.SHAPE, assertThrows(JidFormatException.class, () -> EntityBareJid.of("b.example")).part());
        assertEquals(Part.SHAPE, assertThrows(JidFormatException.class, () -> DomainJid.of("a@b.example")).part());
        assertEquals(Part.SHAPE, assertThrows(JidFormatException.class, () -> FullJid.of("a@b.example")).part());
        assertEquals(Part.LOCAL, assertThrows(JidFormatException.class, () -> EntityBareJid.of(null, "b.example")).part());
        assertEquals(Part.RESOURCE, assertThrows(JidFormatException.class, () -> FullJid.of("a", "b.example", null)).part());
        assertEquals("a@b.example", EntityBareJid.of("A", "B.Example.").toString());
        assertEquals("b.example/r", FullJid.of(null, "b.example", "r").toString());
        assertInstanceOf(BareJid.class, BareJid.of("b.example"));
    }

    @Test
    void withResource() {
        EntityBareJid bare = EntityBareJid.of("romeo@example.net");
        FullJid full = bare.withResource("orchard");
        assertEquals("romeo@example.net/orchard", full.toString());
        assertSame(bare, full.asBare());
        assertEquals("example.net/x", DomainJid.of("example.net").withResource("x").toString());
        assertThrows(JidFormatException.class, () -> bare.withResource(""));
    }

    @Test
    void equalityIsOnTheNormalisedForm() {
        Jid a = Jid.parse("ROMEO@EXAMPLE.NET/Orchard");
        Jid b = Jid.parse("romeo@example.net./Orchard");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        // RFC 7622 §3.4: the resourcepart is case-sensitive.
        assertNotEquals(a, Jid.parse("romeo@example.net/orchard"));
        assertNotEquals(Jid.parse("example.net"), Jid.parse("example.net/x"));
        // RFC 7622 §3.2: fullwidth dots are label separators.
        assertEquals(Jid.parse("example.net"), Jid.parse("example\uFF0Enet"));
    }

    @Test
    void domainIsConvertedToULabels() {
        assertEquals("münchen.example", Jid.parse("xn--mnchen-3ya.example").domain());
        assertEquals(Jid.parse("user@MÜNCHEN.example"), Jid.parse("user@xn--mnchen-3ya.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]", "user@[2001:DB8::1]/r", "192.0.2.1"})
    void ipLiterals(String input) {
        assertEquals(input.toLowerCase(java.util.Locale.ROOT), Jid.parse(input).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1", "[]", "[example.com]", "[1::2::3]", "a..b", "-a.example", "a_b.example",
            "user@example.com@other", "example.com/", "."})
    void invalidDomains(String input) {
        assertThrows(JidFormatException.class, () -> Jid.parse(input));
    }

    @Test
    void localpartForbiddenCharacters() {
        for (String c : new String[] {"\"", "&", "'", ":", "<", ">", "\uFF02"}) {
            JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("a" + c + "b@example.com"));
            assertEquals(Part.LOCAL, e.part(), c);
        }
    }

    @Test
    void lengthLimits() {
        String l1023 = "a".repeat(1023);
        assertEquals(l1023, Jid.parse(l1023 + "@example.com").local());
        assertEquals(Part.LOCAL, assertThrows(JidFormatException.class,
                () -> Jid.parse(l1023 + "a@example.com")).part());
        // Octets, not chars: 512 two-octet chars are 1024 octets.
        assertEquals(Part.LOCAL, assertThrows(JidFormatException.class,
                () -> Jid.parse("é".repeat(512) + "@example.com")).part());
        assertEquals(l1023, Jid.parse("example.com/" + l1023).resource());
        assertEquals(Part.RESOURCE, assertThrows(JidFormatException.class,
                () -> Jid.parse("example.com/" + l1023 + "a")).part());

        String label63 = "b".repeat(63);
        assertEquals(label63 + ".example", Jid.parse(label63 + ".example").domain());
        assertEquals(Part.DOMAIN, assertThrows(JidFormatException.class,
                () -> Jid.parse(label63 + "b.example")).part());
        String domain1023 = String.join(".", java.util.Collections.nCopies(15, label63)) + "." + "c".repeat(63);
        assertEquals(1023, domain1023.length());
        assertEquals(domain1023, Jid.parse(domain1023).domain());
        assertEquals(Part.DOMAIN, assertThrows(JidFormatException.class,
                () -> Jid.parse(domain1023 + ".p")).part());
        assertEquals(Part.SHAPE, assertThrows(JidFormatException.class,
                () -> Jid.parse("x".repeat(JidParts.MAX_INPUT_CHARS + 1))).part());
    }

    @Test
    void exceptionCarriesPartAndReasonAndTruncatesInput() {
        JidFormatException e = assertThrows(JidFormatException.class, () -> Jid.parse("♚".repeat(200) + "@x.example"));
        assertEquals(Part.LOCAL, e.part());
        assertTrue(e.getMessage().length() < 400, e.getMessage());
        assertFalse(e.reason().isEmpty());
        assertInstanceOf(IllegalArgumentException.class, e);
        assertThrows(JidFormatException.class, () -> Jid.parse(null));
        assertThrows(JidFormatException.class, () -> Jid.of(null));
    }

    @Test
    void ofUsesTheCache() {
        Jid a = Jid.of("cache-test@example.com/r");
        assertSame(a, Jid.of("cache-test@example.com/r"));
        assertEquals(a, Jid.parse("cache-test@example.com/r"));
        assertThrows(JidFormatException.class, () -> Jid.of("bad jid@example.com"));
    }

    @Test
    void cacheIsBoundedAndSkipsInvalidAndLongKeys() {
        JidCache cache = new JidCache(8);
        for (int i = 0; i < 100; i++) {
            assertEquals("u" + i + "@example.com", cache.get("u" + i + "@example.com").toString());
            assertTrue(cache.size() <= 8, "size " + cache.size());
        }
        int before = cache.size();
        assertThrows(JidFormatException.class, () -> cache.get("@example.com"));
        cache.get("example.com/" + "r".repeat(JidCache.MAX_KEY_CHARS));
        assertTrue(cache.size() <= before);
    }
}
