package dev.mu.xmpp.xep.version;

import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.XmppModule;
import java.util.Objects;
import javax.xml.namespace.QName;

/** XEP-0092: tells the server's name and version; the OS is left out, as the XEP allows, to reveal less. */
public final class VersionModule implements XmppModule {

    /** The software version namespace. */
    public static final String NAMESPACE = "jabber:iq:version";
    /** The version query payload. */
    public static final QName QNAME = new QName(NAMESPACE, "query");
    /** The software name reported. */
    public static final String NAME = "Mu XMPP";

    @Override
    public void start(ModuleContext ctx) {
        ctx.addFeature(NAMESPACE);
        String version = Objects.requireNonNullElse(VersionModule.class.getPackage().getImplementationVersion(), "dev");
        XmlElement answer = XmlElement.builder(NAMESPACE, "query")
                .child(XmlElement.builder(NAMESPACE, "name").text(NAME).build())
                .child(XmlElement.builder(NAMESPACE, "version").text(version).build())
                .build();
        ctx.onIq(IqType.GET, QNAME, (session, iq) -> session.send(iq.resultReply(answer)));
    }
}
