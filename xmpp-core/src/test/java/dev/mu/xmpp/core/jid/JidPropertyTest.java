package dev.mu.xmpp.core.jid;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import rocks.xmpp.precis.PrecisProfiles;

class JidPropertyTest {

    @Property
    boolean parseOfToStringIsIdentity(@ForAll("jids") Jid jid) {
        return Jid.parse(jid.toString()).equals(jid);
    }

    @Property
    boolean preparationIsIdempotent(@ForAll("jids") Jid jid) {
        Jid again = Jid.of(jid.local(), jid.domain(), jid.resource());
        return again.equals(jid) && again.toString().equals(jid.toString());
    }

    /** The ASCII shortcut of JID preparation returns only what the PRECIS profiles would. */
    @Property
    boolean asciiShortcutAgreesWithPrecis(@ForAll("printableAscii") String part) {
        boolean localOk = !JidParts.isPreparedAscii(part, true)
                || PrecisProfiles.USERNAME_CASE_MAPPED.enforce(part).equals(part)
                && part.chars().noneMatch(c -> "\"&'/:<>@".indexOf(c) >= 0);
        boolean resourceOk = !JidParts.isPreparedAscii(part, false)
                || PrecisProfiles.OPAQUE_STRING.enforce(part).equals(part);
        return localOk && resourceOk;
    }

    @Provide
    Arbitrary<String> printableAscii() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("é\u00A0\uFF21").ofMinLength(1).ofMaxLength(24);
    }

    @Provide
    Arbitrary<Jid> jids() {
        Arbitrary<String> local = Arbitraries.strings().withChars("abcXYZ019._-\\ßπΣçÉ").ofMinLength(1).ofMaxLength(20)
                .injectNull(0.3);
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefxyz0189ü").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> resource = Arbitraries.strings().withChars("abcXYZ 019@/.♚é\"<&")
                .ofMinLength(1).ofMaxLength(20)
                .filter(r -> !r.isBlank())
                .injectNull(0.3);
        return Combinators.combine(local, domain, resource).as(Jid::of);
    }
}
