package dev.mu.xmpp.xep.offline;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stanza.Message;
import dev.mu.xmpp.core.stanza.MessageType;
import dev.mu.xmpp.core.stanza.Presence;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.OfflineMessage;
import dev.mu.xmpp.router.spi.OfflineStore;
import dev.mu.xmpp.router.spi.Session;
import dev.mu.xmpp.router.spi.XmppModule;
import dev.mu.xmpp.xep.delay.Delay;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0160: keeps chat and normal messages for users with no available resource, durably before the
 * server answers for them, and hands them over with an XEP-0203 delay stamp when the user next sends
 * available presence with a non-negative priority.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #LIMIT_OPTION}</td><td>{@value #DEFAULT_LIMIT}</td><td>messages kept per user;
 *   past it the sender gets {@code service-unavailable} (XEP-0160 §3)</td></tr>
 * </table>
 */
public final class OfflineModule implements XmppModule {

    private static final Logger log = LoggerFactory.getLogger(OfflineModule.class);

    /** The option naming the per-user limit. */
    public static final String LIMIT_OPTION = "offline.limit";
    /** Messages kept per user unless configured otherwise. */
    public static final int DEFAULT_LIMIT = 1000;
    /** The disco feature advertising offline storage (XEP-0160 §6, "msgoffline"). */
    public static final String FEATURE = "msgoffline";

    private final Clock clock;
    private ModuleContext ctx;
    private OfflineStore store;
    private int limit;

    /** A module using the system clock. */
    public OfflineModule() {
        this(Clock.systemUTC());
    }

    /** A module using the given clock for the stamps. */
    public OfflineModule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        this.store = context.storage().offline();
        this.limit = context.option(LIMIT_OPTION, Integer.class, DEFAULT_LIMIT);
        context.addFeature(FEATURE);
        context.onOffline(this::keep);
        context.onAvailable(this::deliver);
    }

    /** XEP-0160 §3: messages of type normal and chat are stored; others were handled by the router. */
    private boolean keep(Message m) {
        if (m.type() != MessageType.CHAT && m.type() != MessageType.NORMAL) {
            return false;
        }
        EntityBareJid user = (EntityBareJid) m.to().asBare();
        boolean kept = store.store(user, m.element(), clock.instant(), limit);
        if (!kept) {
            log.info("xmpp offline storage of {} is full ({} messages)", user, limit);
        }
        return kept;
    }

    /** XEP-0160 §4: delivered on the first available presence with a non-negative priority. */
    private void deliver(Session session, Presence presence) {
        if (presence.priority() < 0) {
            return;
        }
        EntityBareJid user = (EntityBareJid) session.address().asBare();
        List<OfflineMessage> waiting = store.peek(user);
        if (waiting.isEmpty()) {
            return;
        }
        for (OfflineMessage m : waiting) {
            XmlElement stamped = m.message().toBuilder()
                    .child(Delay.of(ctx.domain().toString(), m.received(), "Offline Storage")).build();
            session.send(Message.wrap(stamped).withTo(session.address()));
        }
        store.remove(user, waiting);
        log.debug("xmpp offline delivered {} messages to {}", waiting.size(), session.address());
    }
}
