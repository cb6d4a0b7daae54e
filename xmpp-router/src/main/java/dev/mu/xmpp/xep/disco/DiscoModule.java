package dev.mu.xmpp.xep.disco;

import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.DiscoIdentity;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.Session;
import dev.mu.xmpp.router.spi.XmppModule;
import dev.mu.xmpp.xep.caps.EntityCapabilities;
import javax.xml.namespace.QName;

/**
 * XEP-0030: answers disco#info and disco#items for the server, including the XEP-0115 caps node,
 * and disco#info for a local account.
 */
public final class DiscoModule implements XmppModule {

    /** The disco#info namespace. */
    public static final String INFO = "http://jabber.org/protocol/disco#info";
    /** The disco#items namespace. */
    public static final String ITEMS = "http://jabber.org/protocol/disco#items";

    private ModuleContext ctx;

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        ctx.addIdentity(new DiscoIdentity("server", "im", "Mu XMPP"));
        ctx.addFeature(INFO);
        ctx.addFeature(ITEMS);
        ctx.onIq(IqType.GET, new QName(INFO, "query"), this::serverInfo);
        ctx.onIq(IqType.GET, new QName(ITEMS, "query"), this::serverItems);
        ctx.onIq(Addressing.BARE, IqType.GET, new QName(INFO, "query"), this::accountInfo);
        ctx.onIq(Addressing.BARE, IqType.GET, new QName(ITEMS, "query"), this::accountItems);
    }

    private void serverInfo(Session requester, Iq iq) {
        String node = iq.payload().attribute("node");
        String capsNode = EntityCapabilities.NODE + "#"
                + EntityCapabilities.verification(ctx.identities(), ctx.features());
        if (node != null && !node.equals(capsNode)) {
            requester.send(iq.errorReply(StanzaError.ITEM_NOT_FOUND));
            return;
        }
        XmlElement.Builder query = XmlElement.builder(INFO, "query").attribute("node", node);
        for (DiscoIdentity i : ctx.identities()) {
            query.child(XmlElement.builder(INFO, "identity")
                    .attribute("category", i.category()).attribute("type", i.type()).attribute("name", i.name()).build());
        }
        for (String f : ctx.features()) {
            query.child(XmlElement.builder(INFO, "feature").attribute("var", f).build());
        }
        requester.send(iq.resultReply(query.build()));
    }

    private void serverItems(Session requester, Iq iq) {
        if (iq.payload().attribute("node") != null) {
            requester.send(iq.errorReply(StanzaError.ITEM_NOT_FOUND));
            return;
        }
        requester.send(iq.resultReply(XmlElement.empty(ITEMS, "query")));
    }

    /** XEP-0030 §3.1 for an account: it exists (the router checked) and is a registered account. */
    private void accountInfo(Session requester, Iq iq) {
        if (iq.payload().attribute("node") != null) {
            requester.send(iq.errorReply(StanzaError.ITEM_NOT_FOUND));
            return;
        }
        XmlElement.Builder query = XmlElement.builder(INFO, "query")
                .child(XmlElement.builder(INFO, "identity").attribute("category", "account").attribute("type", "registered").build())
                .child(XmlElement.builder(INFO, "feature").attribute("var", INFO).build())
                .child(XmlElement.builder(INFO, "feature").attribute("var", ITEMS).build());
        for (String f : ctx.accountFeatures()) {
            query.child(XmlElement.builder(INFO, "feature").attribute("var", f).build());
        }
        requester.send(iq.resultReply(query.build()));
    }

    private void accountItems(Session requester, Iq iq) {
        requester.send(iq.resultReply(XmlElement.empty(ITEMS, "query")));
    }
}
