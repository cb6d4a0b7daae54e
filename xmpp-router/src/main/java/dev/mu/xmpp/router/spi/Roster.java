package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable snapshot of a user's roster, its version, and the subscription requests awaiting the
 * user's answer.
 *
 * <p>Pending inbound requests are kept apart from the items because RFC 6121 §3.1.3 says the
 * contact's server SHOULD NOT add a roster item for an unanswered request, yet MUST remember it and
 * deliver it again when the user next comes online.
 *
 * @param version   increases with every change; the roster version string of RFC 6121 §2.6
 * @param items     the items by contact bare JID
 * @param pendingIn contacts whose subscription request awaits the user's answer ("Pending In")
 */
public record Roster(long version, Map<BareJid, RosterItem> items, Set<BareJid> pendingIn) {

    /** The empty roster a new account starts with. */
    public static final Roster EMPTY = new Roster(0, Map.of(), Set.of());

    /** Creates a roster; the collections are copied preserving order. */
    public Roster {
        items = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(items));
        pendingIn = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(pendingIn));
    }

    /** The item for a contact, or {@code null}. */
    public RosterItem item(BareJid jid) {
        return items.get(jid);
    }

    /** The subscription state with a contact, {@link Subscription#NONE} when there is no item. */
    public Subscription subscription(BareJid jid) {
        RosterItem item = items.get(jid);
        return item == null ? Subscription.NONE : item.subscription();
    }

    /** A new version with the item added or replaced, or this roster when nothing changes. */
    public Roster with(RosterItem item) {
        if (item.equals(items.get(item.jid()))) {
            return this;
        }
        Map<BareJid, RosterItem> copy = new LinkedHashMap<>(items);
        copy.put(item.jid(), item);
        return new Roster(version + 1, copy, pendingIn);
    }

    /** A new version without the contact's item, or this roster when there is none. */
    public Roster without(BareJid jid) {
        if (!items.containsKey(jid)) {
            return this;
        }
        Map<BareJid, RosterItem> copy = new LinkedHashMap<>(items);
        copy.remove(jid);
        return new Roster(version + 1, copy, pendingIn);
    }

    /** A copy with the contact's inbound request recorded or cleared; not a roster version change. */
    public Roster withPendingIn(BareJid jid, boolean pending) {
        if (pendingIn.contains(jid) == pending) {
            return this;
        }
        Set<BareJid> copy = new LinkedHashSet<>(pendingIn);
        if (pending) {
            copy.add(jid);
        } else {
            copy.remove(jid);
        }
        return new Roster(version, items, copy);
    }

    /** The version as the opaque string sent to clients. */
    public String versionString() {
        return Long.toString(version);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Roster r && version == r.version && items.equals(r.items) && pendingIn.equals(r.pendingIn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, items, pendingIn);
    }
}
