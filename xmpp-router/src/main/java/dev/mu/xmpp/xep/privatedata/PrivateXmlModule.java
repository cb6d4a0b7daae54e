package dev.mu.xmpp.xep.privatedata;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.PrivateXmlStore;
import dev.mu.xmpp.router.spi.Session;
import dev.mu.xmpp.router.spi.XmppModule;
import java.util.List;
import javax.xml.namespace.QName;

/** XEP-0049: each user stores and reads back XML fragments keyed by their qualified name. */
public final class PrivateXmlModule implements XmppModule {

    /** The private XML storage namespace. */
    public static final String NAMESPACE = "jabber:iq:private";
    /** The query element. */
    public static final QName QNAME = new QName(NAMESPACE, "query");

    private PrivateXmlStore store;

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.storage().privateXml();
        ctx.addFeature(NAMESPACE);
        ctx.onIq(Addressing.BARE, IqType.GET, QNAME, this::get);
        ctx.onIq(Addressing.BARE, IqType.SET, QNAME, this::set);
    }

    private void get(Session requester, Iq iq) {
        EntityBareJid user = owner(requester, iq);
        if (user == null) {
            return;
        }
        List<XmlElement> children = iq.payload().elements();
        if (children.size() != 1 || !valid(children.get(0))) {
            // XEP-0049 §3: exactly one child element, in a namespace of its own.
            requester.send(iq.errorReply(children.isEmpty() ? StanzaError.BAD_REQUEST : StanzaError.NOT_ACCEPTABLE));
            return;
        }
        XmlElement key = children.get(0);
        XmlElement stored = store.get(user, key.namespace(), key.name()).orElse(XmlElement.empty(key.namespace(), key.name()));
        requester.send(iq.resultReply(XmlElement.builder(NAMESPACE, "query").child(stored).build()));
    }

    private void set(Session requester, Iq iq) {
        EntityBareJid user = owner(requester, iq);
        if (user == null) {
            return;
        }
        List<XmlElement> children = iq.payload().elements();
        if (children.isEmpty() || !children.stream().allMatch(PrivateXmlModule::valid)) {
            requester.send(iq.errorReply(children.isEmpty() ? StanzaError.BAD_REQUEST : StanzaError.NOT_ACCEPTABLE));
            return;
        }
        children.forEach(e -> store.put(user, e));
        requester.send(iq.resultReply());
    }

    /** XEP-0049 §3: only the user's own storage, so a request for another's is forbidden. */
    private static EntityBareJid owner(Session requester, Iq iq) {
        BareJid owner = iq.to().asBare();
        if (!owner.equals(iq.from().asBare())) {
            requester.send(iq.errorReply(StanzaError.FORBIDDEN));
            return null;
        }
        return (EntityBareJid) owner;
    }

    /** Stored elements must have a namespace, and not one the protocol itself reserves. */
    private static boolean valid(XmlElement e) {
        String ns = e.namespace();
        return !ns.isEmpty() && !ns.equals(NAMESPACE) && !ns.startsWith("jabber:client") && !ns.startsWith("jabber:server");
    }
}
