package dev.mu.xmpp.xep.ping;

import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.XmppModule;
import javax.xml.namespace.QName;

/** XEP-0199: answers pings addressed to the server. */
public final class PingModule implements XmppModule {

    /** The ping namespace. */
    public static final String NAMESPACE = "urn:xmpp:ping";
    /** The ping payload. */
    public static final QName QNAME = new QName(NAMESPACE, "ping");

    @Override
    public void start(ModuleContext ctx) {
        ctx.addFeature(NAMESPACE);
        ctx.onIq(IqType.GET, QNAME, (session, iq) -> session.send(iq.resultReply()));
    }
}
