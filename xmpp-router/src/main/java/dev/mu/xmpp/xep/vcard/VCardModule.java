package dev.mu.xmpp.xep.vcard;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.Session;
import dev.mu.xmpp.router.spi.VCardStore;
import dev.mu.xmpp.router.spi.XmppModule;
import javax.xml.namespace.QName;

/**
 * XEP-0054: a user sets their own vCard; anyone may read a user's vCard, which is public by the
 * XEP's design.
 */
public final class VCardModule implements XmppModule {

    /** The vcard-temp namespace. */
    public static final String NAMESPACE = "vcard-temp";
    /** The vCard element. */
    public static final QName QNAME = new QName(NAMESPACE, "vCard");

    private VCardStore store;

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.storage().vcards();
        ctx.addFeature(NAMESPACE);
        ctx.onIq(Addressing.BARE, IqType.GET, QNAME, this::get);
        ctx.onIq(Addressing.BARE, IqType.SET, QNAME, this::set);
    }

    /** XEP-0054 §3.1 and §3.3: one's own vCard or another user's; an empty one when none was set. */
    private void get(Session requester, Iq iq) {
        EntityBareJid owner = (EntityBareJid) iq.to().asBare();
        requester.send(iq.resultReply(store.get(owner).orElse(XmlElement.empty(NAMESPACE, "vCard"))));
    }

    /** XEP-0054 §3.2: only the owner publishes. */
    private void set(Session requester, Iq iq) {
        BareJid owner = iq.to().asBare();
        if (!owner.equals(iq.from().asBare())) {
            requester.send(iq.errorReply(StanzaError.FORBIDDEN));
            return;
        }
        store.put((EntityBareJid) owner, iq.payload());
        requester.send(iq.resultReply());
    }
}
