package dev.mu.xmpp.xep.last;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.Session;
import dev.mu.xmpp.router.spi.XmppModule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.xml.namespace.QName;

/**
 * XEP-0012: to the server, its uptime (§5); to a user's bare JID, how long since the user was last
 * online (§4), only for the user and contacts subscribed to the user's presence.
 */
public final class LastActivityModule implements XmppModule {

    /** The last activity namespace. */
    public static final String NAMESPACE = "jabber:iq:last";
    /** The last activity query payload. */
    public static final QName QNAME = new QName(NAMESPACE, "query");

    private final Clock clock;
    private ModuleContext ctx;

    /** A module using the system clock. */
    public LastActivityModule() {
        this(Clock.systemUTC());
    }

    /** A module using the given clock. */
    public LastActivityModule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        ctx.addFeature(NAMESPACE);
        ctx.onIq(IqType.GET, QNAME, (session, iq) -> session.send(iq.resultReply(seconds(ctx.startedAt()))));
        ctx.onIq(Addressing.BARE, IqType.GET, QNAME, this::user);
    }

    private void user(Session requester, Iq iq) {
        BareJid user = iq.to().asBare();
        BareJid asker = iq.from().asBare();
        // XEP-0012 §4: only those allowed to see the user's presence may learn its last activity.
        if (!asker.equals(user) && !ctx.rosters().get(user).subscription(asker).hasFrom()) {
            requester.send(iq.errorReply(StanzaError.FORBIDDEN));
            return;
        }
        if (!ctx.presence().availableResources(user).isEmpty()) {
            requester.send(iq.resultReply(XmlElement.builder(NAMESPACE, "query").attribute("seconds", "0").build()));
            return;
        }
        Optional<Instant> last = ctx.presence().lastUnavailable(user);
        if (last.isEmpty()) {
            requester.send(iq.errorReply(StanzaError.ITEM_NOT_FOUND));
            return;
        }
        requester.send(iq.resultReply(seconds(last.get())));
    }

    private XmlElement seconds(Instant since) {
        long s = Math.max(0, Duration.between(since, clock.instant()).toSeconds());
        return XmlElement.builder(NAMESPACE, "query").attribute("seconds", Long.toString(s)).build();
    }
}
