package dev.mu.xmpp.xep.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.DiscoIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XEP-0115 §5: the verification string. */
class EntityCapabilitiesTest {

    private static final List<String> FEATURES = List.of(
            "http://jabber.org/protocol/muc",
            "http://jabber.org/protocol/disco#info",
            "http://jabber.org/protocol/caps",
            "http://jabber.org/protocol/disco#items");

    @Test
    void matchesTheSimpleWorkedExampleOfSection5_2() {
        // XEP-0115 §5.2: "client/pc//Exodus 0.9.1<" + the sorted features -> QgayPKawpkPSDYmwT/WM94uAlu0=
        String ver = EntityCapabilities.verification(List.of(new DiscoIdentity("client", "pc", "Exodus 0.9.1")), FEATURES);

        assertEquals("QgayPKawpkPSDYmwT/WM94uAlu0=", ver);
    }

    @Test
    void doesNotDependOnTheOrderGiven() {
        List<DiscoIdentity> ids = List.of(new DiscoIdentity("server", "im", "Mu"), new DiscoIdentity("pubsub", "pep", null));
        assertEquals(EntityCapabilities.verification(ids, FEATURES),
                EntityCapabilities.verification(List.of(ids.get(1), ids.get(0)), List.of(FEATURES.get(3), FEATURES.get(2), FEATURES.get(1), FEATURES.get(0))));
    }

    @Test
    void theStreamFeatureCarriesHashNodeAndVer() {
        List<DiscoIdentity> ids = List.of(new DiscoIdentity("client", "pc", "Exodus 0.9.1"));

        XmlElement c = EntityCapabilities.featureElement(ids, FEATURES);

        assertEquals(EntityCapabilities.NAMESPACE, c.namespace());
        assertEquals("sha-1", c.attribute("hash"));
        assertEquals(EntityCapabilities.NODE, c.attribute("node"));
        assertEquals("QgayPKawpkPSDYmwT/WM94uAlu0=", c.attribute("ver"));
    }

    @Test
    void otherFeaturesGetTheirOwnVerAndTheFirstOnesTheirsAgain() {
        List<DiscoIdentity> ids = List.of(new DiscoIdentity("client", "pc", "Exodus 0.9.1"));
        List<String> more = new java.util.ArrayList<>(FEATURES);
        more.add("urn:xmpp:ping");

        XmlElement first = EntityCapabilities.featureElement(ids, FEATURES);
        XmlElement other = EntityCapabilities.featureElement(ids, more);

        assertEquals(EntityCapabilities.verification(ids, more), other.attribute("ver"));
        assertNotEquals(first.attribute("ver"), other.attribute("ver"));
        assertEquals("QgayPKawpkPSDYmwT/WM94uAlu0=", EntityCapabilities.featureElement(ids, FEATURES).attribute("ver"));
    }
}
