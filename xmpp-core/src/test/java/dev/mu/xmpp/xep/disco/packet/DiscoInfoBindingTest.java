package dev.mu.xmpp.xep.disco.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.jaxb.PayloadBinder;
import dev.mu.xmpp.core.jaxb.PayloadBindingException;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.xep.dataforms.packet.DataForm;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoInfoBindingTest {

    /** A server's disco#info result in the shape Prosody sends, with XEP-0157 contact addresses. */
    private static final String PROSODY_RESULT = """
            <iq xmlns='jabber:client' type='result' id='disco1' from='example.com' to='juliet@example.com/balcony'>
              <query xmlns='http://jabber.org/protocol/disco#info'>
                <identity category='server' type='im' name='Prosody'/>
                <identity category='pubsub' type='pep' name='Prosody' xml:lang='en'/>
                <feature var='http://jabber.org/protocol/disco#info'/>
                <feature var='http://jabber.org/protocol/disco#items'/>
                <feature var='urn:xmpp:ping'/>
                <feature var='urn:xmpp:carbons:2'/>
                <feature var='msgoffline'/>
                <x xmlns='jabber:x:data' type='result'>
                  <field var='FORM_TYPE' type='hidden'><value>http://jabber.org/network/serverinfo</value></field>
                  <field var='abuse-addresses' type='list-multi'><value>mailto:abuse@example.com</value><value>xmpp:abuse@example.com</value></field>
                  <field var='admin-addresses' type='list-multi'><value>xmpp:admin@example.com</value></field>
                </x>
              </query>
            </iq>
            """;

    private final PayloadBinder binder = new PayloadBinder();

    @Test
    void bindsAProsodyResult() {
        Iq iq = (Iq) Stanza.wrap(TestXml.parse(PROSODY_RESULT));
        XmlElement query = iq.payload(DiscoInfo.QNAME);
        DiscoInfo info = binder.unmarshal(query, DiscoInfo.class);

        assertNull(info.node());
        assertEquals(List.of(new DiscoInfo.Identity("server", "im", "Prosody", null),
                new DiscoInfo.Identity("pubsub", "pep", "Prosody", "en")), info.identities());
        assertEquals(5, info.features().size());
        assertTrue(info.hasFeature("urn:xmpp:ping"));
        assertFalse(info.hasFeature("urn:xmpp:mam:2"));
        DataForm serverInfo = info.extension("http://jabber.org/network/serverinfo");
        assertEquals(DataForm.Type.RESULT, serverInfo.type());
        assertEquals(List.of("mailto:abuse@example.com", "xmpp:abuse@example.com"),
                serverInfo.field("abuse-addresses").values());
        assertEquals("list-multi", serverInfo.field("admin-addresses").type());
    }

    @Test
    void roundTripsToTheSameTree() {
        XmlElement query = Stanza.wrap(TestXml.parse(PROSODY_RESULT)).payload(DiscoInfo.QNAME);
        DiscoInfo info = binder.unmarshal(query, DiscoInfo.class);
        XmlElement written = binder.marshal(info);
        // Attribute order carries no meaning in XML (and JAXB picks its own), so compare without it.
        assertEquals(TestXml.sortAttributes(query), TestXml.sortAttributes(written));
        assertEquals(info, binder.unmarshal(written, DiscoInfo.class));
    }

    @Test
    void answersADiscoGetWithABuiltResult() {
        Iq get = Iq.builder(IqType.GET).id("d2").from(Jid.of("romeo@example.net/orchard")).to(Jid.of("example.com"))
                .payload(binder.marshal(DiscoInfo.query(null))).build();
        assertEquals(DiscoInfo.QNAME, get.payload().qName());
        assertTrue(get.payload().children().isEmpty());

        DiscoInfo answer = DiscoInfo.builder()
                .identity("server", "im", "Mu")
                .feature(DiscoInfo.NAMESPACE)
                .feature("urn:xmpp:ping")
                .extension(DataForm.result("http://jabber.org/network/serverinfo",
                        List.of(new DataForm.Field("support-addresses", "list-multi", null, List.of("xmpp:help@example.com")))))
                .build();
        Iq result = get.resultReply(binder.marshal(answer));
        assertEquals(Jid.of("romeo@example.net/orchard"), result.to());
        XmlElement x = result.payload().firstChild(DataForm.NAMESPACE, "x");
        assertEquals("result", x.attribute("type"));
        assertEquals(answer, binder.unmarshal(result.payload(), DiscoInfo.class));
        assertEquals("http://jabber.org/network/serverinfo", answer.extensions().get(0).formType());
    }

    @Test
    void nodeAndEmptyQuery() {
        DiscoInfo query = DiscoInfo.query("http://prosody.im#abc=");
        XmlElement element = binder.marshal(query);
        assertEquals("http://prosody.im#abc=", element.attribute("node"));
        assertEquals(query, binder.unmarshal(element, DiscoInfo.class));
    }

    @Test
    void unbindableTypeIsATypedFailure() {
        assertThrows(PayloadBindingException.class, () -> binder.marshal(new Object()));
    }
}
