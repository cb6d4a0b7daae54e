package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Roster;
import dev.mu.xmpp.router.spi.RosterItem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * For any sequence of subscription stanzas, roster removals and re-logins between two local users,
 * both rosters stay consistent with each other as RFC 6121 Appendix A requires, every interested
 * resource's view built from roster pushes equals the stored roster, each user sees the contact
 * available exactly when subscribed to the contact's presence (RFC 6121 §3 and §4: presence follows
 * every approval, and unavailable presence every cancellation), and no exception escapes.
 */
class SubscriptionPropertyTest {

    enum Action { SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED, REMOVE, ADD, RELOG, GO_OFFLINE }

    record Step(String user, Action action) {
        String contact() {
            return user.equals("alice") ? "bob" : "alice";
        }
    }

    @Provide
    Arbitrary<Step> steps() {
        return Combinators.combine(Arbitraries.of("alice", "bob"), Arbitraries.of(Action.class)).as(Step::new);
    }

    @Property(tries = 400)
    void rostersStayConsistentForAnySequence(@ForAll @Size(max = 30) List<@net.jqwik.api.From("steps") Step> steps) {
        TestServer server = new TestServer("alice", "bob");
        Map<String, TestClient> clients = new HashMap<>();
        Map<String, Map<String, Map<String, String>>> views = new HashMap<>();
        Map<String, Map<String, Boolean>> seen = new HashMap<>();
        for (String u : List.of("alice", "bob")) {
            login(server, u, clients, views, seen);
        }
        for (Step step : steps) {
            TestClient c = clients.get(step.user());
            if (c == null) {
                login(server, step.user(), clients, views, seen);
                c = clients.get(step.user());
            }
            String to = TestServer.bare(step.contact()).toString();
            switch (step.action()) {
                case SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED ->
                        c.send("<presence type='" + step.action().name().toLowerCase() + "' to='" + to + "'/>");
                case REMOVE -> c.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='" + to + "' subscription='remove'/></query>");
                case ADD -> c.sendIq("set", null, "<query xmlns='jabber:iq:roster'><item jid='" + to + "' name='x'/></query>");
                case RELOG -> {
                    c.disconnect();
                    login(server, step.user(), clients, views, seen);
                }
                case GO_OFFLINE -> {
                    c.disconnect();
                    clients.remove(step.user());
                }
            }
            for (Map.Entry<String, TestClient> e : clients.entrySet()) {
                List<XmlElement> received = e.getValue().drain();
                applyPushes(received, views.get(e.getKey()));
                applyPresence(received, seen.get(e.getKey()));
            }
            check(server, clients, views, steps);
            checkPresence(server, clients, seen, steps);
        }
    }

    private static void login(TestServer server, String user, Map<String, TestClient> clients,
                              Map<String, Map<String, Map<String, String>>> views, Map<String, Map<String, Boolean>> seen) {
        TestClient c = server.bound(user, "r");
        Map<String, Map<String, String>> view = new TreeMap<>();
        for (XmlElement item : c.requestRoster().elements()) {
            view.put(item.attribute("jid"), attributes(item));
        }
        c.send("<presence/>");
        Map<String, Boolean> presence = new TreeMap<>();
        List<XmlElement> received = c.drain();
        applyPushes(received, view);
        applyPresence(received, presence);
        clients.put(user, c);
        views.put(user, view);
        seen.put(user, presence);
        // Whoever else is online now has seen this login, or not, as the rules say.
        for (Map.Entry<String, TestClient> e : clients.entrySet()) {
            if (e.getValue() != c) {
                List<XmlElement> theirs = e.getValue().drain();
                applyPushes(theirs, views.get(e.getKey()));
                applyPresence(theirs, seen.get(e.getKey()));
            }
        }
    }

    /** Tracks which of the contact's resources a client believes available, from presence it received. */
    private static void applyPresence(List<XmlElement> received, Map<String, Boolean> seen) {
        for (XmlElement e : received) {
            String type = e.attribute("type");
            String from = e.attribute("from");
            if (!e.name().equals("presence") || from == null || !(type == null || type.equals("unavailable"))) {
                continue;
            }
            if (from.contains("/")) {
                seen.put(from, type == null);
            } else {
                seen.replaceAll((jid, available) -> jid.startsWith(from + "/") ? false : available);
            }
        }
    }

    private static void checkPresence(TestServer server, Map<String, TestClient> clients,
                                      Map<String, Map<String, Boolean>> seen, List<Step> steps) {
        for (String u : clients.keySet()) {
            String c = u.equals("alice") ? "bob" : "alice";
            if (!clients.containsKey(c)) {
                continue;
            }
            String contactResource = clients.get(c).jid().toString();
            boolean subscribed = server.roster(u).subscription(TestServer.bare(c)).hasTo();
            boolean sees = seen.get(u).getOrDefault(contactResource, false);
            assertEquals(subscribed, sees, () -> u + (subscribed ? " does not see " : " still sees ") + contactResource
                    + " after " + steps + "; saw " + seen.get(u));
        }
    }

    private static void applyPushes(List<XmlElement> received, Map<String, Map<String, String>> view) {
        for (XmlElement e : received) {
            XmlElement query = e.firstChild("jabber:iq:roster", "query");
            if (e.name().equals("iq") && "set".equals(e.attribute("type")) && query != null) {
                XmlElement item = query.elements().get(0);
                if ("remove".equals(item.attribute("subscription"))) {
                    view.remove(item.attribute("jid"));
                } else {
                    view.put(item.attribute("jid"), attributes(item));
                }
            }
        }
    }

    private static Map<String, String> attributes(XmlElement item) {
        Map<String, String> m = new TreeMap<>();
        item.attributes().forEach(a -> m.put(a.name(), a.value()));
        return m;
    }

    private static void check(TestServer server, Map<String, TestClient> clients,
                              Map<String, Map<String, Map<String, String>>> views, List<Step> steps) {
        for (String u : List.of("alice", "bob")) {
            String c = u.equals("alice") ? "bob" : "alice";
            Roster mine = server.roster(u);
            Roster theirs = server.roster(c);
            BareJid me = TestServer.bare(u);
            BareJid them = TestServer.bare(c);
            // Appendix A: the user has 'to' exactly when the contact has 'from'.
            assertEquals(mine.subscription(them).hasTo(), theirs.subscription(me).hasFrom(),
                    () -> u + " to/" + c + " from disagree after " + steps + ": " + mine + " / " + theirs);
            // "Pending Out" at the user exactly when "Pending In" at the contact.
            RosterItem item = mine.item(them);
            boolean pendingOut = item != null && item.askOut();
            assertEquals(pendingOut, theirs.pendingIn().contains(me),
                    () -> u + " pending out/" + c + " pending in disagree after " + steps + ": " + mine + " / " + theirs);
            assertFalse(pendingOut && mine.subscription(them).hasTo(), "ask='subscribe' while already subscribed");
            if (item != null && item.approved()) {
                assertFalse(item.subscription().hasFrom(), "pre-approved while already subscribed");
                assertFalse(mine.pendingIn().contains(them), "pre-approved while a request is pending");
            }
            assertFalse(mine.pendingIn().contains(them) && mine.subscription(them).hasFrom(),
                    "a pending request from a contact already subscribed");
            if (clients.containsKey(u)) {
                Map<String, Map<String, String>> stored = new TreeMap<>();
                for (RosterItem i : mine.items().values()) {
                    stored.put(i.jid().toString(), attributes(RosterService.itemElement(i)));
                }
                assertEquals(stored, views.get(u), () -> u + "'s pushed view differs from the store after " + steps);
            }
        }
    }
}
