package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.sasl.InMemoryCredentialStore;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQuery;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.mam.element.MamElements.MamResultExtension;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XEP-0313 through Smack's {@link MamManager}: filters, paging both ways, stanza ids. */
class MamIT {

    @TempDir
    Path dataDir;

    XmppServer server;
    Persistence.Client alice;
    Persistence.Client bob;
    Persistence.Client carol;

    @BeforeEach
    void start() throws Exception {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.addUser("alice", "wonderland");
        store.addUser("bob", "builder");
        store.addUser("carol", "singer");
        server = XmppServer.builder().domain(Persistence.DOMAIN).bindAddress("127.0.0.1").c2sPort(0).directTlsPort(-1).s2sPort(-1)
                .dataDirectory(dataDir).credentials(store).build().start();
        alice = Persistence.login(server.c2sPort(), "alice", "wonderland", "phone");
        bob = Persistence.login(server.c2sPort(), "bob", "builder", "laptop");
        carol = Persistence.login(server.c2sPort(), "carol", "singer", "desk");
        // Alice's archive: m0..m5 with bob, c0 from carol, m6 with bob.
        for (int i = 0; i < 6; i++) {
            alice.send("bob", "m" + i);
        }
        alice.ping();
        carol.send("alice", "c0");
        carol.ping();
        alice.send("bob", "m6");
        alice.ping();
    }

    @AfterEach
    void stop() {
        for (Persistence.Client c : new Persistence.Client[] {alice, bob, carol}) {
            if (c != null) {
                c.close();
            }
        }
        server.close();
    }

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::getBody).toList();
    }

    @Test
    void theAccountSupportsMam() throws Exception {
        assertTrue(MamManager.getInstanceFor(alice.connection()).isSupported());
    }

    @Test
    void pagesForwardAndBackWithAFilterOnTheContact() throws Exception {
        MamManager mam = MamManager.getInstanceFor(alice.connection());

        MamQuery query = mam.queryArchive(MamQueryArgs.builder().limitResultsToJid(Persistence.jid("bob"))
                .setResultPageSize(3).build());
        assertEquals(List.of("m0", "m1", "m2"), bodies(query.getMessages()));
        assertFalse(query.isComplete());

        assertEquals(List.of("m3", "m4", "m5"), bodies(query.pageNext(3)));
        assertFalse(query.isComplete());
        assertEquals(List.of("m6"), bodies(query.pageNext(3)));
        // XEP-0313 §"Paging through results": complete once the page size did not limit the results.
        assertTrue(query.isComplete());

        assertEquals(List.of("m3", "m4", "m5"), bodies(query.pagePrevious(3)));
        assertEquals(List.of("m0", "m1", "m2"), bodies(query.pagePrevious(3)));
        assertTrue(query.isComplete());
    }

    @Test
    void theLastPageComesInChronologicalOrder() throws Exception {
        MamQuery last = MamManager.getInstanceFor(alice.connection()).queryArchive(MamQueryArgs.builder()
                .queryLastPage().setResultPageSize(3).build());

        assertEquals(List.of("m5", "c0", "m6"), bodies(last.getMessages()));
        assertEquals("m6", bodies(MamManager.getInstanceFor(alice.connection())
                .queryMostRecentPage(Persistence.jid("bob"), 1).getMessages()).get(0));
    }

    @Test
    void filtersByContactTimeAndId() throws Exception {
        MamManager mam = MamManager.getInstanceFor(alice.connection());
        MamQuery all = mam.queryArchive(MamQueryArgs.builder().setResultPageSize(20).build());
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "c0", "m6"), bodies(all.getMessages()));
        assertTrue(all.isComplete());
        List<MamResultExtension> results = all.getMamResultExtensions();

        assertEquals(List.of("c0"), bodies(mam.queryArchive(MamQueryArgs.builder()
                .limitResultsToJid(Persistence.jid("carol")).build()).getMessages()));

        // XEP-0313 §"Filtering by time received": 'start' is inclusive; the stamps are the archive's.
        Date since = results.get(4).getForwarded().getDelayInformation().getStamp();
        List<String> expected = results.stream()
                .filter(r -> !r.getForwarded().getDelayInformation().getStamp().before(since))
                .map(r -> r.getForwarded().getForwardedStanza()).map(s -> ((Message) s).getBody()).toList();
        assertTrue(expected.containsAll(List.of("m4", "m5", "c0", "m6")), expected::toString);
        assertEquals(expected, bodies(mam.queryArchive(MamQueryArgs.builder().limitResultsSince(since)
                .setResultPageSize(20).build()).getMessages()));

        // XEP-0059 §2.2 with XEP-0313 UIDs: after a known id.
        assertEquals(List.of("m2", "m3"), bodies(mam.queryArchive(MamQueryArgs.builder()
                .afterUid(results.get(1).getId()).setResultPageSize(2).build()).getMessages()));
        assertEquals(List.of("m4", "m5"), bodies(mam.queryArchive(MamQueryArgs.builder()
                .beforeUid(results.get(6).getId()).setResultPageSize(2).build()).getMessages()));
    }

    @Test
    void anUnknownIdIsItemNotFound() throws Exception {
        XMPPException.XMPPErrorException e = org.junit.jupiter.api.Assertions.assertThrows(
                XMPPException.XMPPErrorException.class, () -> MamManager.getInstanceFor(alice.connection())
                        .queryArchive(MamQueryArgs.builder().afterUid("no-such-id").build()));
        assertEquals(StanzaError.Condition.item_not_found, e.getStanzaError().getCondition());
    }

    @Test
    void bobsCopyCarriesTheStanzaIdOfHisArchive() throws Exception {
        List<Message> got = bob.received();
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6"), bodies(got));

        MamQuery bobs = MamManager.getInstanceFor(bob.connection()).queryArchive(MamQueryArgs.builder()
                .setResultPageSize(20).build());
        assertEquals(bodies(got), bodies(bobs.getMessages()));
        for (int i = 0; i < got.size(); i++) {
            // XEP-0359 §2.1 / XEP-0313 §"Communicating the archive ID": the id is the archive's, by bob's bare JID.
            StanzaIdElement sid = StanzaIdElement.getStanzaId(got.get(i));
            assertNotNull(sid, got.get(i).toXML().toString());
            assertEquals("bob@example.com", sid.getBy());
            assertEquals(bobs.getMamResultExtensions().get(i).getId(), sid.getId());
            assertNotNull(bobs.getMamResultExtensions().get(i).getForwarded().getDelayInformation());
        }
    }
}
