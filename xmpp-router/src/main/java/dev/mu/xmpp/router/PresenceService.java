package dev.mu.xmpp.router;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.stanza.Presence;
import dev.mu.xmpp.core.stanza.PresenceType;
import dev.mu.xmpp.router.spi.Roster;
import dev.mu.xmpp.router.spi.RosterItem;
import dev.mu.xmpp.router.spi.RosterStore;
import dev.mu.xmpp.router.spi.Subscription;
import java.util.List;

/**
 * Presence: broadcast, probes and directed presence (RFC 6121 §4) and the subscription state
 * machine (RFC 6121 §3, Appendix A), for stanzas leaving a local user and arriving at one.
 */
final class PresenceService {

    private final Router router;
    private final RosterStore rosters;
    private final RosterService rosterService;

    PresenceService(Router router, RosterStore rosters, RosterService rosterService) {
        this.router = router;
        this.rosters = rosters;
        this.rosterService = rosterService;
    }

    /** A presence stanza a local client sent, its {@code from} already stamped. */
    void outbound(ClientSession session, Presence p) {
        PresenceType type = p.type();
        Jid to = p.to();
        switch (type) {
            case SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED -> {
                if (to != null) {
                    outboundSubscription(session.jid().asBare(), to.asBare(), p);
                }
            }
            case PROBE -> {
                if (to != null) {
                    router.route(p);
                }
            }
            case AVAILABLE, UNAVAILABLE -> {
                if (to == null) {
                    broadcast(session, p);
                } else {
                    directed(session, p);
                }
            }
            case ERROR -> {
                // RFC 6121 §4.2 and §4.4 broadcast availability, which an error is not: an error
                // presence with no 'to' answers nobody, is dropped, and leaves the session available.
                if (to != null) {
                    router.route(p);
                }
            }
        }
    }

    /** A presence stanza addressed to a local user (bare or full JID), from anyone. */
    void inbound(Presence p) {
        BareJid user = p.to().asBare();
        if (p.from() == null && p.type() != PresenceType.AVAILABLE && p.type() != PresenceType.UNAVAILABLE) {
            // A subscription stanza or probe from nobody cannot be answered nor recorded.
            return;
        }
        if (!router.isLocalUser(user)) {
            // RFC 6121 §8.5.1: presence to an account that does not exist is silently ignored,
            // except that a subscription request is answered so the requester is not left pending.
            if (p.type() == PresenceType.SUBSCRIBE) {
                router.route(presence(user, p.from().asBare(), PresenceType.UNSUBSCRIBED));
            }
            return;
        }
        switch (p.type()) {
            case SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED -> inboundSubscription(user, p);
            case PROBE -> probe(user, p.from());
            case AVAILABLE, UNAVAILABLE, ERROR -> {
                if (p.to() instanceof FullJid full) {
                    // RFC 6121 §8.5.3.2.1: to a resource that is not there, presence is dropped.
                    ClientSession s = router.session(full);
                    if (s != null) {
                        s.send(p);
                    }
                } else {
                    deliverToAvailable(user, p);
                }
            }
        }
    }

    /** A session ended: it goes unavailable to everyone who saw it available. */
    void sessionClosed(ClientSession session) {
        Presence unavailable = presence(session.jid(), null, PresenceType.UNAVAILABLE);
        if (session.isAvailable()) {
            broadcast(session, unavailable);
        } else {
            // RFC 6121 §4.6: a session that only sent directed presence owes unavailable presence to
            // those entities, and to no one else: its contacts never saw it available.
            for (Jid target : session.directedPresence()) {
                router.route(unavailable.withTo(target));
            }
            session.clearDirectedPresence();
        }
    }

    /** RFC 6121 §4.2 and §4.4: presence with no 'to' goes to subscribers and the user's resources. */
    private void broadcast(ClientSession session, Presence p) {
        FullJid from = session.jid();
        BareJid user = from.asBare();
        Roster roster = rosters.get(user);
        boolean initial = !session.isAvailable();
        boolean wasDeliverable = session.isAvailable() && session.priority() >= 0;
        if (p.type() == PresenceType.AVAILABLE) {
            session.presence(p);
        } else {
            session.presence(null);
        }
        for (RosterItem item : roster.items().values()) {
            if (item.subscription().hasFrom()) {
                router.route(p.withTo(item.jid()));
            }
        }
        for (ClientSession other : router.resources(user)) {
            if (other.isAvailable() || other == session) {
                other.send(p.withTo(other.jid()));
            }
        }
        if (p.type() != PresenceType.AVAILABLE) {
            // RFC 6121 §4.6: those who got directed presence learn that the user left; a subscriber
            // among them already had the broadcast above and does not get it twice.
            for (Jid target : session.directedPresence()) {
                if (!roster.subscription(target.asBare()).hasFrom()) {
                    router.route(p.withTo(target));
                }
            }
            session.clearDirectedPresence();
            if (router.resources(user).stream().noneMatch(ClientSession::isAvailable)) {
                router.markUnavailable(user);
            }
            return;
        }
        if (initial) {
            initialPresence(session, roster);
        } else if (!wasDeliverable && p.priority() >= 0) {
            // XEP-0160 §4: a resource that raises its priority from negative can now take messages.
            router.available(session, p);
        }
    }

    /** RFC 6121 §4.2.2 and §3.1.3: what a resource learns when it first becomes available. */
    private void initialPresence(ClientSession session, Roster roster) {
        FullJid from = session.jid();
        for (RosterItem item : roster.items().values()) {
            if (item.subscription().hasTo()) {
                router.route(presence(from, item.jid(), PresenceType.PROBE));
            }
        }
        for (ClientSession other : router.resources(from.asBare())) {
            if (other != session && other.isAvailable()) {
                session.send(other.presence().withTo(from));
            }
        }
        for (BareJid requester : roster.pendingIn()) {
            session.send(presence(requester, from.asBare(), PresenceType.SUBSCRIBE));
        }
        router.available(session, session.presence());
    }

    /** RFC 6121 §4.6: presence to one entity, remembered so that unavailable presence follows. */
    private void directed(ClientSession session, Presence p) {
        Jid to = p.to();
        if (p.type() == PresenceType.AVAILABLE) {
            // RFC 6121 §4.6: remembered, so that unavailable presence follows when the user leaves. A
            // subscriber is remembered too while the user has not broadcast presence, since then the
            // broadcast of unavailable presence would not reach it.
            Subscription sub = rosters.get(session.jid().asBare()).subscription(to.asBare());
            if (!session.isAvailable() || !sub.hasFrom()) {
                session.addDirectedPresence(to);
            }
        } else if (p.type() == PresenceType.UNAVAILABLE) {
            session.removeDirectedPresence(to);
        }
        router.route(p);
    }

    /** RFC 6121 §4.3.2: answer a probe with the user's presence, if the prober may see it. */
    private void probe(BareJid user, Jid prober) {
        if (prober == null) {
            return;
        }
        if (!rosters.get(user).subscription(prober.asBare()).hasFrom()) {
            // Not subscribed: the prober's stale "to" subscription gets corrected.
            router.route(presence(user, prober.asBare(), PresenceType.UNSUBSCRIBED));
            return;
        }
        boolean any = false;
        for (ClientSession s : router.resources(user)) {
            Presence current = s.presence();
            if (current != null) {
                any = true;
                router.route(current.withTo(prober));
            }
        }
        if (!any) {
            router.route(presence(user, prober, PresenceType.UNAVAILABLE));
        }
    }

    /** RFC 6121 §3, the user's side: requests, approvals and cancellations the user sends. */
    private void outboundSubscription(BareJid user, BareJid contact, Presence request) {
        // RFC 6121 §3.1.2: the user's server MUST stamp the outbound request with the user's bare JID
        // (and routes it to the contact's bare JID); the rest of the client's stanza, its 'id' and any
        // status or extension, goes along.
        Presence stamped = request.withFromAndTo(user, contact);
        PresenceType type = request.type();
        switch (type) {
            case SUBSCRIBE -> {
                // §3.1.2: "Pending Out" unless already subscribed; the request is routed either way.
                rosterService.change(user, r -> {
                    RosterItem item = itemOrNew(r, contact);
                    return item.subscription().hasTo() ? r : r.with(item.withAskOut(true));
                });
                router.route(stamped);
            }
            case SUBSCRIBED -> {
                Roster before = rosters.get(user);
                RosterItem item = before.item(contact);
                if (before.pendingIn().contains(contact)) {
                    // §3.1.5: approving a pending request.
                    rosterService.change(user, r -> r.withPendingIn(contact, false)
                            .with(itemOrNew(r, contact).withSubscription(itemOrNew(r, contact).subscription().withFrom(true))
                                    .withApproved(false)));
                    router.route(stamped);
                    sendCurrentPresence(user, contact);
                } else if (item == null || !item.subscription().hasFrom()) {
                    // §3.4: no request yet, so this is a pre-approval.
                    rosterService.change(user, r -> r.with(itemOrNew(r, contact).withApproved(true)));
                }
            }
            case UNSUBSCRIBE -> {
                // §3.3.2: cancelling the user's own subscription to the contact.
                rosterService.change(user, r -> {
                    RosterItem item = r.item(contact);
                    return item == null ? r : r.with(item.withSubscription(item.subscription().withTo(false)).withAskOut(false));
                });
                router.route(stamped);
            }
            case UNSUBSCRIBED -> {
                // §3.2.2: cancelling (or denying) the contact's subscription to the user.
                Roster before = rosters.get(user);
                RosterItem item = before.item(contact);
                boolean wasSubscribed = item != null && item.subscription().hasFrom();
                rosterService.change(user, r -> {
                    Roster next = r.withPendingIn(contact, false);
                    RosterItem current = next.item(contact);
                    return current == null ? next
                            : next.with(current.withSubscription(current.subscription().withFrom(false)).withApproved(false));
                });
                if (wasSubscribed || before.pendingIn().contains(contact)) {
                    router.route(stamped);
                }
                if (wasSubscribed) {
                    unavailableTo(user, contact);
                }
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
    }

    /** RFC 6121 §3, the contact's side: what arrives for a local user from someone else. */
    private void inboundSubscription(BareJid user, Presence p) {
        BareJid from = p.from().asBare();
        Presence received = p.withFromAndTo(from, user);
        Roster roster = rosters.get(user);
        RosterItem item = roster.item(from);
        Subscription sub = item == null ? Subscription.NONE : item.subscription();
        switch (p.type()) {
            case SUBSCRIBE -> {
                if (sub.hasFrom()) {
                    // §3.1.3: already subscribed: the server answers for the user.
                    sendSubscription(user, from, PresenceType.SUBSCRIBED);
                } else if (item != null && item.approved()) {
                    // §3.4: pre-approved: the subscription is granted without asking the user.
                    rosterService.change(user, r -> r.with(r.item(from).withSubscription(r.item(from).subscription().withFrom(true))
                            .withApproved(false)));
                    sendSubscription(user, from, PresenceType.SUBSCRIBED);
                    sendCurrentPresence(user, from);
                } else {
                    // §3.1.3: remembered, and delivered to every available resource now and later.
                    rosters.update(user, r -> r.withPendingIn(from, true));
                    deliverToAvailable(user, received);
                }
            }
            case SUBSCRIBED -> {
                if (item != null && item.askOut()) {
                    // §3.1.6: the user's pending request was approved.
                    rosterService.change(user, r -> r.with(r.item(from).withSubscription(r.item(from).subscription().withTo(true))
                            .withAskOut(false)));
                    deliverToAvailable(user, received);
                }
            }
            case UNSUBSCRIBE -> {
                if (sub.hasFrom() || roster.pendingIn().contains(from)) {
                    // §3.3.3: the contact no longer wants the user's presence.
                    rosterService.change(user, r -> {
                        Roster next = r.withPendingIn(from, false);
                        RosterItem current = next.item(from);
                        return current == null ? next
                                : next.with(current.withSubscription(current.subscription().withFrom(false)));
                    });
                    deliverToAvailable(user, received);
                    // RFC 6121 §3.3.3: the contact's server MUST then send unavailable presence from each
                    // of the contact's available resources to the user, who no longer receives it.
                    if (sub.hasFrom()) {
                        unavailableTo(user, from);
                    }
                }
            }
            case UNSUBSCRIBED -> {
                if (sub.hasTo() || (item != null && item.askOut())) {
                    // §3.2.3: the contact cancelled or denied the user's subscription.
                    rosterService.change(user, r -> r.with(r.item(from).withSubscription(r.item(from).subscription().withTo(false))
                            .withAskOut(false)));
                    deliverToAvailable(user, received);
                }
            }
            default -> throw new IllegalArgumentException(p.type().toString());
        }
    }

    /** Routes a subscription stanza from the user's bare JID, as RFC 6121 §3.1.2 requires. */
    void sendSubscription(BareJid user, BareJid contact, PresenceType type) {
        router.route(presence(user, contact, type));
    }

    /** Sends the contact unavailable presence from each of the user's available resources. */
    void unavailableTo(BareJid user, BareJid contact) {
        for (ClientSession s : router.resources(user)) {
            if (s.isAvailable()) {
                router.route(presence(s.jid(), contact, PresenceType.UNAVAILABLE));
            }
        }
    }

    private void sendCurrentPresence(BareJid user, BareJid contact) {
        for (ClientSession s : router.resources(user)) {
            Presence current = s.presence();
            if (current != null) {
                router.route(current.withTo(contact));
            }
        }
    }

    private void deliverToAvailable(BareJid user, Presence p) {
        List<ClientSession> resources = router.resources(user);
        for (ClientSession s : resources) {
            if (s.isAvailable()) {
                s.send(p);
            }
        }
    }

    private static RosterItem itemOrNew(Roster r, BareJid contact) {
        RosterItem item = r.item(contact);
        return item == null ? RosterItem.of(contact) : item;
    }

    private static Presence presence(Jid from, Jid to, PresenceType type) {
        return Presence.builder().from(from).to(to).type(type).build();
    }
}
