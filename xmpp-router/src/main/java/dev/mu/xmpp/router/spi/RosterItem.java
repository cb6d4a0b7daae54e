package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import java.util.Objects;
import java.util.Set;

/**
 * One contact in a user's roster, with its subscription state.
 *
 * @param jid          the contact's bare JID
 * @param name         the user's name for the contact, or {@code null}
 * @param groups       the groups the contact is in
 * @param subscription the subscription state
 * @param askOut       whether the user's subscription request is pending ("Pending Out")
 * @param approved     whether the user pre-approved the contact's subscription request
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-2.1.2">RFC 6121 §2.1.2</a>
 */
public record RosterItem(BareJid jid, String name, Set<String> groups, Subscription subscription,
                         boolean askOut, boolean approved) {

    /** Creates an item; groups are copied. */
    public RosterItem {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(subscription, "subscription");
        groups = Set.copyOf(groups);
    }

    /** A new item with no subscription, as a roster set creates it. */
    public static RosterItem of(BareJid jid) {
        return new RosterItem(jid, null, Set.of(), Subscription.NONE, false, false);
    }

    /** A copy with another subscription state. */
    public RosterItem withSubscription(Subscription value) {
        return new RosterItem(jid, name, groups, value, askOut, approved);
    }

    /** A copy with the pending-out flag set or cleared. */
    public RosterItem withAskOut(boolean value) {
        return new RosterItem(jid, name, groups, subscription, value, approved);
    }

    /** A copy with the pre-approval flag set or cleared. */
    public RosterItem withApproved(boolean value) {
        return new RosterItem(jid, name, groups, subscription, askOut, value);
    }

    /** A copy with the user-editable fields (name, groups) replaced. */
    public RosterItem withNameAndGroups(String newName, Set<String> newGroups) {
        return new RosterItem(jid, newName, newGroups, subscription, askOut, approved);
    }
}
