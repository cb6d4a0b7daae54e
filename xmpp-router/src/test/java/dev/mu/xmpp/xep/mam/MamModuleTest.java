package dev.mu.xmpp.xep.mam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import dev.mu.xmpp.router.memory.InMemoryStorageProvider;
import dev.mu.xmpp.xep.disco.DiscoModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** XEP-0313 archives with XEP-0059 paging and XEP-0359 stanza ids, as alice, bob and carol see them. */
class MamModuleTest {

    private static final String MAM = MamModule.NAMESPACE;
    private static final String SID = MamModule.SID_NAMESPACE;
    private static final String RSM = "http://jabber.org/protocol/rsm";
    private static final String FORWARD = "urn:xmpp:forward:0";

    private final TestServer server = new TestServer(clock -> List.of(new DiscoModule(), new MamModule(clock)),
            new InMemoryStorageProvider(), Map.of(), "alice", "bob", "carol");
    private final TestClient alice = server.online("alice", "phone");
    private final TestClient bob = server.online("bob", "laptop");
    private final TestClient carol = server.online("carol", "desk");

    /** The result messages of a query and the iq that ended it. */
    private record Answer(List<XmlElement> results, XmlElement iq) {
        XmlElement fin() {
            return iq.firstChild(MAM, "fin");
        }

        XmlElement set() {
            return fin().firstChild(RSM, "set");
        }

        List<String> bodies() {
            return results.stream().map(MamModuleTest::forwardedBody).toList();
        }

        List<String> ids() {
            return results.stream().map(r -> r.firstChild(MAM, "result").attribute("id")).toList();
        }

        boolean complete() {
            return "true".equals(fin().attribute("complete"));
        }

        String rsm(String name) {
            XmlElement e = set().firstChild(RSM, name);
            return e == null ? null : e.text();
        }
    }

    private static String forwardedBody(XmlElement resultMessage) {
        return resultMessage.firstChild(MAM, "result").firstChild(FORWARD, "forwarded")
                .firstChild(XmlElement.CONTENT_NS, "message").firstChild(XmlElement.CONTENT_NS, "body").text();
    }

    private static String form(String... fields) {
        StringBuilder b = new StringBuilder("<x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE' type='hidden'><value>" + MAM + "</value></field>");
        for (int i = 0; i < fields.length; i += 2) {
            b.append("<field var='").append(fields[i]).append("'>");
            for (String v : fields[i + 1].split(",")) {
                b.append("<value>").append(v).append("</value>");
            }
            b.append("</field>");
        }
        return b.append("</x>").toString();
    }

    private static String rsm(String inner) {
        return "<set xmlns='" + RSM + "'>" + inner + "</set>";
    }

    /** Sends a query of the client's own archive and reads its results up to the iq that ends it. */
    private static Answer query(TestClient client, String content) {
        String id = client.sendIq("set", null, "<query xmlns='" + MAM + "' queryid='f27'>" + content + "</query>");
        List<XmlElement> results = new ArrayList<>();
        while (true) {
            XmlElement e = client.next();
            if (e.name().equals("iq")) {
                assertEquals(id, e.attribute("id"));
                assertEquals("result", e.attribute("type"), e::toString);
                return new Answer(results, e);
            }
            results.add(e);
        }
    }

    /** Alice's archive: six messages a minute apart, with bob and with carol. */
    private void conversation() {
        say(alice, "bob", "b0");
        say(carol, "alice", "c1");
        say(alice, "bob", "b2");
        say(carol, "alice", "c3");
        say(alice, "bob", "b4");
        say(alice, "carol", "c5");
    }

    private void say(TestClient from, String to, String body) {
        from.send("<message to='" + to + "@example.com' type='chat' id='" + body + "'><body>" + body + "</body></message>");
        server.quiet();
        server.clock().advance(Duration.ofMinutes(1));
    }

    @Test
    void bothPartiesArchiveAndTheRecipientLearnsTheStanzaId() {
        alice.send("<message to='bob@example.com' type='chat' id='m1'><body>hello</body></message>");

        // XEP-0313 §"Communicating the archive ID" / XEP-0359 §2.1: the recipient's server stamps the
        // archive id with 'by' set to the archive's JID, the recipient's bare JID.
        XmlElement received = bob.next();
        XmlElement stanzaId = received.firstChild(SID, "stanza-id");
        assertNotNull(stanzaId, received::toString);
        assertEquals("bob@example.com", stanzaId.attribute("by"));

        Answer bobs = query(bob, "");
        assertEquals(List.of(stanzaId.attribute("id")), bobs.ids());
        XmlElement result = bobs.results().get(0);
        // XEP-0313 §"Query results": from the archive, each forwarded with a delay stamp of when it was received.
        assertEquals("bob@example.com", result.attribute("from"));
        assertEquals("bob@example.com/laptop", result.attribute("to"));
        XmlElement r = result.firstChild(MAM, "result");
        assertEquals("f27", r.attribute("queryid"));
        XmlElement forwarded = r.firstChild(FORWARD, "forwarded");
        assertEquals("2024-05-01T12:00:00Z", forwarded.firstChild("urn:xmpp:delay", "delay").attribute("stamp"));
        XmlElement original = forwarded.firstChild(XmlElement.CONTENT_NS, "message");
        assertEquals("alice@example.com/phone", original.attribute("from"));
        assertEquals("hello", forwardedBody(result));
        assertEquals("f27", bobs.fin().attribute("queryid"));
        assertTrue(bobs.complete());
        assertEquals("1", bobs.rsm("count"));
        assertEquals("0", bobs.set().firstChild(RSM, "first").attribute("index"));
        assertEquals(stanzaId.attribute("id"), bobs.rsm("first"));
        assertEquals(stanzaId.attribute("id"), bobs.rsm("last"));

        Answer alices = query(alice, "");
        assertEquals(List.of("hello"), alices.bodies());
        assertEquals("bob@example.com", alices.results().get(0).firstChild(MAM, "result").firstChild(FORWARD, "forwarded")
                .firstChild(XmlElement.CONTENT_NS, "message").attribute("to"));
    }

    @Test
    void aForgedStanzaIdClaimingTheRecipientsArchiveIsRemoved() {
        alice.send("<message to='bob@example.com' type='chat' id='m1'><body>trust me</body>"
                + "<stanza-id xmlns='" + SID + "' by='bob@example.com' id='forged'/>"
                + "<stanza-id xmlns='" + SID + "' by='room@muc.example.org' id='theirs'/></message>");

        XmlElement received = bob.next();

        // XEP-0359 §3: an entity that stamps stanza ids MUST delete one whose 'by' it would set itself,
        // and leaves the others alone; at most one stanza-id per 'by'.
        List<XmlElement> ids = received.elements().stream().filter(e -> e.is(SID, "stanza-id")).toList();
        assertEquals(2, ids.size(), received::toString);
        XmlElement ours = ids.stream().filter(e -> "bob@example.com".equals(e.attribute("by"))).findFirst().orElseThrow();
        assertNotEquals("forged", ours.attribute("id"));
        assertTrue(ids.stream().anyMatch(e -> "theirs".equals(e.attribute("id"))));
        assertEquals(List.of(ours.attribute("id")), query(bob, "").ids());
    }

    @Test
    void aForgedStanzaIdIsRemovedEvenWhenNothingIsArchived() {
        bob.sendIq("set", null, "<prefs xmlns='" + MAM + "' default='never'/>");
        bob.receives("<iq type='result'><prefs xmlns='" + MAM + "' default='never'/></iq>");

        alice.send("<message to='bob@example.com' type='chat'><body>x</body>"
                + "<stanza-id xmlns='" + SID + "' by='bob@example.com' id='forged'/></message>");

        XmlElement received = bob.next();
        assertNull(received.firstChild(SID, "stanza-id"), received::toString);
    }

    @Test
    void aMessageToOnesOwnAccountIsArchivedOnce() {
        TestClient tablet = server.online("alice", "tablet");
        server.quiet();

        alice.send("<message to='alice@example.com/tablet' type='chat' id='self'><body>note to self</body></message>");

        // XEP-0313 §"User Archives": the server MUST store a stanza within a given archive only once.
        XmlElement received = tablet.next();
        String id = received.firstChild(SID, "stanza-id").attribute("id");
        assertEquals(List.of(id), query(alice, "").ids());
        // XEP-0313 §"Filtering by JID": 'with' set to the account JID finds messages to oneself.
        assertEquals(List.of("note to self"), query(alice, form("with", "alice@example.com")).bodies());
    }

    @Test
    void errorsGroupchatAndBodylessMessagesAreNotArchived() {
        // XEP-0313 §"User Archives": messages of type normal or chat with a <body/>.
        alice.send("<message to='bob@example.com' type='chat'><active xmlns='http://jabber.org/protocol/chatstates'/></message>");
        alice.send("<message to='bob@example.com' type='headline'><body>news</body></message>");
        alice.send("<message to='bob@example.com' type='normal'><body>kept</body></message>");
        server.quiet();

        assertEquals(List.of("kept"), query(bob, "").bodies());
        assertEquals(List.of("kept"), query(alice, "").bodies());
    }

    @Test
    void queriesFilterByWithAndTime() {
        conversation();

        // XEP-0313 §"Filtering by JID": messages to or from the JID.
        assertEquals(List.of("b0", "b2", "b4"), query(alice, form("with", "bob@example.com")).bodies());
        assertEquals(List.of("c1", "c3", "c5"), query(alice, form("with", "carol@example.com")).bodies());
        // XEP-0313 §"Filtering by time received": start and end are inclusive.
        assertEquals(List.of("b2", "c3", "b4"), query(alice,
                form("start", "2024-05-01T12:02:00Z", "end", "2024-05-01T12:04:00Z")).bodies());
        assertEquals(List.of("c5"), query(alice, form("start", "2024-05-01T12:04:30.000+00:00")).bodies());
        assertEquals(List.of("b2", "b4"), query(alice, form("with", "bob@example.com", "start", "2024-05-01T12:01:00Z")).bodies());
    }

    @Test
    void queriesLimitByIds() {
        conversation();
        List<String> ids = query(alice, "").ids();

        // XEP-0313 §"Limiting results by id": after-id and before-id are exclusive bounds; ids picks messages.
        assertEquals(List.of("c3", "b4", "c5"), query(alice, form("after-id", ids.get(2))).bodies());
        assertEquals(List.of("b0", "c1"), query(alice, form("before-id", ids.get(2))).bodies());
        Answer between = query(alice, form("after-id", ids.get(0), "before-id", ids.get(4)));
        assertEquals(List.of("c1", "b2", "c3"), between.bodies());
        // XEP-0313 §"Paging through results": complete, since the page size did not limit the results.
        assertTrue(between.complete());
        Answer lastBetween = query(alice, form("after-id", ids.get(3)) + rsm("<max>5</max><before/>"));
        assertEquals(List.of("b4", "c5"), lastBetween.bodies());
        assertTrue(lastBetween.complete());
        assertEquals(List.of("c1", "b4"), query(alice, form("ids", ids.get(4) + "," + ids.get(1))).bodies());
    }

    @Test
    void pagesForwardWithMaxAndAfter() {
        conversation();
        List<String> ids = query(alice, "").ids();

        Answer first = query(alice, rsm("<max>2</max>"));
        assertEquals(List.of("b0", "c1"), first.bodies());
        // XEP-0313 §"Paging through results" / XEP-0059 §2.1: first with its index, last, count of all matches.
        assertEquals(ids.get(0), first.rsm("first"));
        assertEquals("0", first.set().firstChild(RSM, "first").attribute("index"));
        assertEquals(ids.get(1), first.rsm("last"));
        assertEquals("6", first.rsm("count"));
        assertTrue(!first.complete(), "not the last page");

        Answer second = query(alice, rsm("<max>2</max><after>" + first.rsm("last") + "</after>"));
        assertEquals(List.of("b2", "c3"), second.bodies());
        assertEquals("2", second.set().firstChild(RSM, "first").attribute("index"));
        assertTrue(!second.complete());

        Answer third = query(alice, rsm("<max>2</max><after>" + second.rsm("last") + "</after>"));
        assertEquals(List.of("b4", "c5"), third.bodies());
        assertEquals("4", third.set().firstChild(RSM, "first").attribute("index"));
        // XEP-0313: complete='true' once the results were not limited by the page size.
        assertTrue(third.complete());

        Answer past = query(alice, rsm("<max>2</max><after>" + third.rsm("last") + "</after>"));
        assertEquals(List.of(), past.bodies());
        assertTrue(past.complete());
        assertEquals("6", past.rsm("count"));
    }

    @Test
    void pagesBackwardFromTheEnd() {
        conversation();
        List<String> ids = query(alice, "").ids();

        // XEP-0313 §"Requesting the last page" / XEP-0059 §2.5: an empty <before/> is the last page,
        // still in chronological order.
        Answer last = query(alice, rsm("<max>2</max><before/>"));
        assertEquals(List.of("b4", "c5"), last.bodies());
        assertEquals("4", last.set().firstChild(RSM, "first").attribute("index"));
        assertTrue(!last.complete());

        Answer previous = query(alice, rsm("<max>2</max><before>" + last.rsm("first") + "</before>"));
        assertEquals(List.of("b2", "c3"), previous.bodies());
        assertEquals("2", previous.set().firstChild(RSM, "first").attribute("index"));

        Answer earliest = query(alice, rsm("<max>2</max><before>" + ids.get(1) + "</before>"));
        assertEquals(List.of("b0"), earliest.bodies());
        assertTrue(earliest.complete());

        Answer filtered = query(alice, form("with", "carol@example.com") + rsm("<max>2</max><before/>"));
        assertEquals(List.of("c3", "c5"), filtered.bodies());
        assertEquals("1", filtered.set().firstChild(RSM, "first").attribute("index"));
        assertEquals("3", filtered.rsm("count"));
    }

    @Test
    void maxZeroOnlyCounts() {
        conversation();

        // XEP-0059 §2.6: <max>0</max> asks for the count alone.
        Answer count = query(alice, rsm("<max>0</max>"));

        assertEquals(List.of(), count.results());
        assertEquals("6", count.rsm("count"));
        assertNull(count.set().firstChild(RSM, "first"));
    }

    @Test
    void aFlippedPageComesNewestFirst() {
        conversation();

        // XEP-0313 §"Flipped pages": the same page, sent in reverse order.
        Answer flipped = query(alice, rsm("<max>3</max><before/>") + "<flip-page/>");

        assertEquals(List.of("c5", "b4", "c3"), flipped.bodies());
        assertEquals(query(alice, rsm("<max>3</max><before/>")).rsm("first"), flipped.rsm("first"));
    }

    @Test
    void anUnknownIdIsItemNotFound() {
        conversation();

        // XEP-0313 §"Paging through results" and §"Limiting results by id": a UID that is not in the
        // archive MUST be answered with item-not-found.
        for (String content : List.of(rsm("<after>nope</after>"), rsm("<before>nope</before>"),
                form("after-id", "nope"), form("before-id", "nope"),
                form("ids", query(alice, "").ids().get(0) + ",nope"))) {
            alice.sendIq("set", null, "<query xmlns='" + MAM + "'>" + content + "</query>");
            alice.receivesError("iq", "item-not-found");
            alice.receivesNothing();
        }
    }

    @Test
    void anIdFromAnotherArchiveIsItemNotFound() {
        conversation();
        String bobsId = query(bob, "").ids().get(0);

        alice.sendIq("set", null, "<query xmlns='" + MAM + "'>" + rsm("<after>" + bobsId + "</after>") + "</query>");

        alice.receivesError("iq", "item-not-found");
    }

    @Test
    void anUnknownFieldIsFeatureNotImplemented() {
        // XEP-0313 §"Retrieving form fields": a form field the server does not recognise MUST be
        // answered with feature-not-implemented.
        alice.sendIq("set", null, "<query xmlns='" + MAM + "'>" + form("{urn:example}free-text", "hello") + "</query>");

        alice.receivesError("iq", "feature-not-implemented");
    }

    @Test
    void anotherUsersArchiveIsForbidden() {
        conversation();

        // XEP-0313 §"Data privacy": an archive another entity may not see is answered with forbidden.
        alice.sendIq("set", "bob@example.com", "<query xmlns='" + MAM + "'/>");
        alice.receivesError("iq", "forbidden");
        alice.receivesNothing();
        alice.sendIq("get", "bob@example.com", "<prefs xmlns='" + MAM + "'/>");
        alice.receivesError("iq", "forbidden");
        alice.sendIq("set", "bob@example.com", "<prefs xmlns='" + MAM + "' default='never'/>");
        alice.receivesError("iq", "forbidden");
    }

    @Test
    void theOwnBareJidMayBeAddressedExplicitly() {
        conversation();

        String id = alice.sendIq("set", "alice@example.com", "<query xmlns='" + MAM + "'>" + rsm("<max>1</max>") + "</query>");

        assertEquals("b0", forwardedBody(alice.next()));
        alice.receives("<iq type='result' id='" + id + "'><fin xmlns='" + MAM + "'/></iq>");
    }

    @Test
    void theFormListsTheSupportedFields() {
        String id = alice.sendIq("get", null, "<query xmlns='" + MAM + "'/>");

        XmlElement result = alice.next();
        assertEquals(id, result.attribute("id"));
        XmlElement x = result.firstChild(MAM, "query").firstChild("jabber:x:data", "x");
        Set<String> vars = new TreeSet<>();
        x.elements().forEach(f -> vars.add(f.attribute("var")));
        assertEquals(Set.of("FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids"), vars);
        XmlElement ids = x.elements().stream().filter(f -> "ids".equals(f.attribute("var"))).findFirst().orElseThrow();
        // XEP-0313 §"Retrieving form fields": 'ids' is list-multi with an open XEP-0122 validation.
        assertEquals("list-multi", ids.attribute("type"));
        assertNotNull(ids.firstChild("http://jabber.org/protocol/xdata-validate", "validate"));
    }

    @Test
    void metadataGivesTheFirstAndLastMessage() {
        // XEP-0313 §"Archive metadata": an empty archive has an empty <metadata/>.
        alice.sendIq("get", null, "<metadata xmlns='" + MAM + "'/>");
        XmlElement empty = alice.next().firstChild(MAM, "metadata");
        assertNotNull(empty);
        assertTrue(empty.elements().isEmpty(), empty::toString);

        conversation();
        List<String> ids = query(alice, "").ids();

        alice.sendIq("get", null, "<metadata xmlns='" + MAM + "'/>");
        alice.receives("<iq type='result'><metadata xmlns='" + MAM + "'>"
                + "<start id='" + ids.get(0) + "' timestamp='2024-05-01T12:00:00Z'/>"
                + "<end id='" + ids.get(5) + "' timestamp='2024-05-01T12:05:00Z'/></metadata></iq>");
    }

    @Test
    void preferencesDefaultToAlwaysAndAreReplacedWhole() {
        // XEP-0313 §"Archiving preferences": the server's default applies until the user sets any.
        alice.sendIq("get", null, "<prefs xmlns='" + MAM + "'/>");
        alice.receives("<iq type='result'><prefs xmlns='" + MAM + "' default='always'><always/><never/></prefs></iq>");

        alice.sendIq("set", null, "<prefs xmlns='" + MAM + "' default='roster'>"
                + "<always><jid>carol@example.com</jid></always><never><jid>bob@example.com</jid></never></prefs>");
        alice.receives("<iq type='result'><prefs xmlns='" + MAM + "' default='roster'>"
                + "<always><jid>carol@example.com</jid></always><never><jid>bob@example.com</jid></never></prefs></iq>");

        alice.sendIq("get", null, "<prefs xmlns='" + MAM + "'/>");
        alice.receives("<iq type='result'><prefs xmlns='" + MAM + "' default='roster'>"
                + "<always><jid>carol@example.com</jid></always><never><jid>bob@example.com</jid></never></prefs></iq>");
    }

    @Test
    void rosterModeArchivesContactsAndTheListsOverrideIt() {
        server.friends("alice", "bob");
        alice.sendIq("set", null, "<prefs xmlns='" + MAM + "' default='roster'><always><jid>carol@example.com</jid></always></prefs>");
        server.quiet();

        say(bob, "alice", "from a contact");
        say(carol, "alice", "always carol");
        say(alice, "bob", "to a contact");

        assertEquals(List.of("from a contact", "always carol", "to a contact"), query(alice, "").bodies());

        alice.sendIq("set", null, "<prefs xmlns='" + MAM + "' default='always'><never><jid>bob@example.com</jid></never></prefs>");
        server.quiet();
        say(bob, "alice", "never bob");
        say(alice, "bob", "never to bob");
        say(carol, "alice", "default always");

        assertEquals(List.of("from a contact", "always carol", "to a contact", "default always"), query(alice, "").bodies());
        // Bob's own archive follows his preferences, not alice's.
        assertEquals(List.of("from a contact", "to a contact", "never bob", "never to bob"), query(bob, "").bodies());
    }

    @Test
    void rosterModeLeavesOutStrangers() {
        alice.sendIq("set", null, "<prefs xmlns='" + MAM + "' default='roster'/>");
        server.quiet();

        say(carol, "alice", "stranger");

        assertEquals(List.of(), query(alice, "").bodies());
        assertEquals(List.of("stranger"), query(carol, "").bodies());
    }

    @Test
    void theAccountAdvertisesMam() {
        // XEP-0313 §"Determining support": the features are on the archiving JID, the user's bare JID.
        alice.sendIq("get", "alice@example.com", "<query xmlns='" + DiscoModule.INFO + "'/>");
        XmlElement query = alice.next().firstChild(DiscoModule.INFO, "query");
        Set<String> features = new TreeSet<>();
        query.elements().stream().filter(e -> e.name().equals("feature")).forEach(e -> features.add(e.attribute("var")));

        assertTrue(features.containsAll(Set.of(MAM, MAM + "#extended", SID)), features::toString);
        assertTrue(!server.router().features().contains(MAM), "the server's own JID hosts no archive");
    }
}
