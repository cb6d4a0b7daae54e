package dev.mu.xmpp.router;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.Roster;
import dev.mu.xmpp.router.spi.RosterItem;
import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.Session;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.xml.namespace.QName;

/**
 * Roster management (RFC 6121 §2): get, set and remove, versioning, and the roster pushes that
 * follow every change, including those the subscription state machine makes.
 */
final class RosterService {

    static final String NAMESPACE = "jabber:iq:roster";
    static final QName QUERY = new QName(NAMESPACE, "query");

    private final Router router;
    private final RosterStore store;

    RosterService(Router router, RosterStore store) {
        this.router = router;
        this.store = store;
    }

    RosterStore store() {
        return store;
    }

    void register(ModuleHost host) {
        host.register(Addressing.BARE, IqType.GET, QUERY, this::get);
        host.register(Addressing.BARE, IqType.SET, QUERY, this::set);
    }

    /** RFC 6121 §2.1.3, §2.6.3: the roster, or an empty result when the client's version is current. */
    private void get(Session requester, Iq iq) {
        BareJid owner = iq.from().asBare();
        if (iq.to() != null && !iq.to().asBare().equals(owner)) {
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.FORBIDDEN)));
            return;
        }
        if (iq.from() instanceof FullJid full) {
            ClientSession session = router.session(full);
            if (session != null) {
                session.interested(true);
            }
        }
        Roster roster = store.get(owner);
        String clientVersion = iq.payload().attribute("ver");
        if (clientVersion != null && clientVersion.equals(roster.versionString())) {
            requester.send(iq.resultReply());
            return;
        }
        XmlElement.Builder query = XmlElement.builder(NAMESPACE, "query").attribute("ver", roster.versionString());
        for (RosterItem item : roster.items().values()) {
            query.child(itemElement(item));
        }
        requester.send(iq.resultReply(query.build()));
    }

    /** RFC 6121 §2.3 and §2.5: add, update or remove exactly one item. */
    private void set(Session requester, Iq iq) {
        BareJid owner = iq.from().asBare();
        if (iq.to() != null && !iq.to().asBare().equals(owner)) {
            // RFC 6121 §2.1.5: a roster set from anyone but the user is refused.
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.FORBIDDEN)));
            return;
        }
        List<XmlElement> items = iq.payload().elements();
        if (items.size() != 1 || !items.get(0).is(NAMESPACE, "item")) {
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.BAD_REQUEST)));
            return;
        }
        XmlElement item = items.get(0);
        BareJid contact;
        try {
            String jid = item.attribute("jid");
            Jid parsed = jid == null ? null : Jid.of(jid);
            if (!(parsed instanceof BareJid b)) {
                requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.BAD_REQUEST)));
                return;
            }
            contact = b;
        } catch (JidFormatException e) {
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.JID_MALFORMED)));
            return;
        }
        if ("remove".equals(item.attribute("subscription"))) {
            remove(requester, iq, owner, contact);
            return;
        }
        Set<String> groups = new LinkedHashSet<>();
        for (XmlElement g : item.elements()) {
            if (!g.is(NAMESPACE, "group")) {
                continue;
            }
            String name = g.text();
            // RFC 6121 §2.3.3: an empty group name is not-acceptable, a duplicate one bad-request.
            if (name.isEmpty()) {
                requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.NOT_ACCEPTABLE)));
                return;
            }
            if (!groups.add(name)) {
                requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.BAD_REQUEST)));
                return;
            }
        }
        String name = item.attribute("name");
        change(owner, r -> {
            RosterItem current = r.item(contact);
            RosterItem base = current == null ? RosterItem.of(contact) : current;
            return r.with(base.withNameAndGroups(name, groups));
        });
        requester.send(iq.resultReply());
    }

    private void remove(Session requester, Iq iq, BareJid owner, BareJid contact) {
        Roster before = store.get(owner);
        RosterItem item = before.item(contact);
        if (item == null) {
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND)));
            return;
        }
        change(owner, r -> r.without(contact).withPendingIn(contact, false));
        requester.send(iq.resultReply());
        // RFC 6121 §2.5.2: removing an item cancels the subscriptions both ways.
        if (item.subscription().hasTo() || item.askOut()) {
            router.presenceService().sendSubscription(owner, contact, dev.mu.xmpp.core.stanza.PresenceType.UNSUBSCRIBE);
        }
        if (item.subscription().hasFrom() || before.pendingIn().contains(contact)) {
            router.presenceService().unavailableTo(owner, contact);
            router.presenceService().sendSubscription(owner, contact, dev.mu.xmpp.core.stanza.PresenceType.UNSUBSCRIBED);
        }
    }

    /**
     * Changes a roster atomically and pushes every item whose state changed to the owner's
     * interested resources (RFC 6121 §2.1.6).
     *
     * @return the roster before and after the change
     */
    Roster[] change(BareJid owner, UnaryOperator<Roster> change) {
        Roster[] before = new Roster[1];
        Roster after = store.update(owner, r -> {
            before[0] = r;
            return change.apply(r);
        });
        if (before[0].version() != after.version()) {
            push(owner, before[0], after);
        }
        return new Roster[] {before[0], after};
    }

    private void push(BareJid owner, Roster before, Roster after) {
        for (RosterItem item : after.items().values()) {
            if (!item.equals(before.item(item.jid()))) {
                pushItem(owner, after, itemElement(item));
            }
        }
        for (RosterItem item : before.items().values()) {
            if (after.item(item.jid()) == null) {
                pushItem(owner, after, XmlElement.builder(NAMESPACE, "item")
                        .attribute("jid", item.jid().toString())
                        .attribute("subscription", "remove").build());
            }
        }
    }

    private void pushItem(BareJid owner, Roster roster, XmlElement item) {
        XmlElement query = XmlElement.builder(NAMESPACE, "query")
                .attribute("ver", roster.versionString()).child(item).build();
        for (ClientSession s : router.resources(owner)) {
            if (s.isInterested()) {
                s.send(Iq.builder(IqType.SET).id(router.newId()).to(s.jid()).payload(query).build());
            }
        }
    }

    static XmlElement itemElement(RosterItem item) {
        XmlElement.Builder b = XmlElement.builder(NAMESPACE, "item")
                .attribute("jid", item.jid().toString())
                .attribute("name", item.name())
                .attribute("subscription", item.subscription().value())
                .attribute("ask", item.askOut() ? "subscribe" : null)
                .attribute("approved", item.approved() ? "true" : null);
        for (String g : item.groups()) {
            b.child(XmlElement.builder(NAMESPACE, "group").text(g).build());
        }
        return b.build();
    }
}
