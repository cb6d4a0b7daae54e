package dev.mu.xmpp.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.stanza.Message;
import dev.mu.xmpp.core.stanza.MessageType;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ArchivePage;
import dev.mu.xmpp.router.spi.ArchivePreferences;
import dev.mu.xmpp.router.spi.ArchiveQuery;
import dev.mu.xmpp.router.spi.ArchivedMessage;
import dev.mu.xmpp.router.spi.OfflineMessage;
import dev.mu.xmpp.router.spi.Roster;
import dev.mu.xmpp.router.spi.RosterItem;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.Subscription;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StorageProvider} must have; each back end runs it by extending this
 * class. Durable back ends also pass {@link #survivesReopen()}.
 */
abstract class StorageContract {

    static final EntityBareJid ALICE = EntityBareJid.of("alice", "example.com");
    static final EntityBareJid BOB = EntityBareJid.of("bob", "example.com");
    static final EntityBareJid CAROL = EntityBareJid.of("carol", "example.net");
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    StorageProvider storage;

    /** A provider over empty stores. */
    abstract StorageProvider open() throws Exception;

    /** Whether the stores keep their data across {@link StorageProvider#close()} and {@link #open()}. */
    abstract boolean durable();

    @BeforeEach
    void openStorage() throws Exception {
        storage = open();
    }

    @AfterEach
    void closeStorage() {
        // Null when open() skipped the test (a database that is not there outside CI).
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void rosterChangesKeepItemsGroupsStatesAndVersion() {
        assertEquals(Roster.EMPTY, storage.rosters().get(ALICE));
        RosterItem bob = new RosterItem(BOB, "Bob", Set.of("Friends", "Work"), Subscription.TO, false, false);
        RosterItem carol = new RosterItem(CAROL, null, Set.of(), Subscription.NONE, true, true);
        Roster after = storage.rosters().update(ALICE, r -> r.with(bob).with(carol).withPendingIn(CAROL, true));
        assertEquals(2, after.version());
        Roster read = storage.rosters().get(ALICE);
        assertEquals(after, read);
        assertEquals(bob, read.item(BOB));
        assertEquals(carol, read.item(CAROL));
        assertEquals(Set.of(CAROL), read.pendingIn());

        Roster removed = storage.rosters().update(ALICE, r -> r.without(BOB).withPendingIn(CAROL, false));
        assertEquals(3, removed.version());
        assertEquals(List.of(CAROL), new ArrayList<>(storage.rosters().get(ALICE).items().keySet()));
        assertTrue(storage.rosters().get(ALICE).pendingIn().isEmpty());
        assertEquals(Roster.EMPTY, storage.rosters().get(BOB));
    }

    @Test
    void offlineMessagesComeBackInOrderUpToTheLimit() {
        for (int i = 0; i < 3; i++) {
            assertTrue(storage.offline().store(BOB, chat("m" + i), T0.plusSeconds(i), 3));
        }
        assertFalse(storage.offline().store(BOB, chat("too many"), T0, 3));
        List<OfflineMessage> waiting = storage.offline().peek(BOB);
        assertEquals(List.of("m0", "m1", "m2"), waiting.stream().map(m -> Message.wrap(m.message()).body()).toList());
        assertEquals(T0.plusSeconds(1), waiting.get(1).received());
        storage.offline().remove(BOB, waiting.subList(0, 2));
        assertEquals(List.of("m2"), storage.offline().peek(BOB).stream().map(m -> Message.wrap(m.message()).body()).toList());
        assertTrue(storage.offline().peek(ALICE).isEmpty());
    }

    @Test
    void archiveQueriesFilterAndPage() {
        List<ArchivedMessage> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            BareJid with = i % 2 == 0 ? BOB : CAROL;
            all.add(storage.archive().append(ALICE, with, chat("a" + i), T0.plus(i, ChronoUnit.MINUTES)));
        }
        storage.archive().append(BOB, ALICE, chat("not alice's"), T0);

        ArchivePage first = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 4, false));
        assertEquals(bodies(all.subList(0, 4)), bodies(first.messages()));
        assertEquals(10, first.count());
        assertEquals(0, first.index());
        assertFalse(first.complete());

        ArchivePage next = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, first.messages().get(3).id(), null, null, 4, false));
        assertEquals(bodies(all.subList(4, 8)), bodies(next.messages()));
        assertEquals(4, next.index());
        ArchivePage rest = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, next.messages().get(3).id(), null, null, 4, false));
        assertEquals(bodies(all.subList(8, 10)), bodies(rest.messages()));
        assertTrue(rest.complete());

        ArchivePage last = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 3, true));
        assertEquals(bodies(all.subList(7, 10)), bodies(last.messages()));
        assertEquals(7, last.index());
        assertFalse(last.complete());
        ArchivePage before = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, all.get(2).id(), null, 3, true));
        assertEquals(bodies(all.subList(0, 2)), bodies(before.messages()));
        assertTrue(before.complete());

        // XEP-0313 §"Paging through results": complete whenever the page size did not limit the results,
        // also when after-id and before-id bound them.
        ArchivePage between = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, all.get(0).id(),
                all.get(4).id(), null, 10, false));
        assertEquals(bodies(all.subList(1, 4)), bodies(between.messages()));
        assertTrue(between.complete());
        ArchivePage lastAfter = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, all.get(6).id(),
                null, null, 10, true));
        assertEquals(bodies(all.subList(7, 10)), bodies(lastAfter.messages()));
        assertTrue(lastAfter.complete());

        ArchivePage withBob = storage.archive().query(ALICE, new ArchiveQuery(BOB, T0.plus(2, ChronoUnit.MINUTES),
                T0.plus(6, ChronoUnit.MINUTES), null, null, null, 10, false));
        assertEquals(List.of("a2", "a4", "a6"), bodies(withBob.messages()));
        assertEquals(BOB, withBob.messages().get(0).with());
        assertEquals(T0.plus(2, ChronoUnit.MINUTES), withBob.messages().get(0).timestamp());

        ArchivePage byIds = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, null,
                List.of(all.get(5).id(), all.get(1).id()), 10, false));
        assertEquals(List.of("a1", "a5"), bodies(byIds.messages()));
        // XEP-0313 §"Limiting results by id": "If any UID requested by the client in any of the
        // 'before-id', 'after-id' or 'ids' form fields is not present in the archive, the server MUST
        // return an item-not-found error".
        assertThrows(NoSuchElementException.class, () -> storage.archive().query(ALICE, new ArchiveQuery(null, null,
                null, null, null, List.of(all.get(1).id(), "nonexistent"), 10, false)));
        String bobsOwn = storage.archive().query(BOB, new ArchiveQuery(null, null, null, null, null, null, 1, false))
                .messages().get(0).id();
        assertThrows(NoSuchElementException.class, () -> storage.archive().query(ALICE, new ArchiveQuery(null, null,
                null, null, null, List.of(bobsOwn), 10, false)));

        assertThrows(NoSuchElementException.class, () -> storage.archive().query(ALICE,
                new ArchiveQuery(null, null, null, "zzzzzz", null, null, 10, false)));
        assertEquals(1, storage.archive().query(BOB, new ArchiveQuery(null, null, null, null, null, null, 10, false)).count());
    }

    @Test
    void archivePreferencesAndRetention() {
        assertTrue(storage.archive().preferences(ALICE).isEmpty());
        ArchivePreferences prefs = new ArchivePreferences(ArchivePreferences.Mode.ROSTER, Set.of(BOB), Set.of(CAROL));
        storage.archive().preferences(ALICE, prefs);
        assertEquals(prefs, storage.archive().preferences(ALICE).orElseThrow());

        storage.archive().append(ALICE, BOB, chat("old"), T0);
        storage.archive().append(ALICE, BOB, chat("new"), T0.plus(2, ChronoUnit.DAYS));
        assertEquals(1, storage.archive().purgeBefore(T0.plus(1, ChronoUnit.DAYS)));
        assertEquals(List.of("new"), bodies(storage.archive()
                .query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 10, false)).messages()));
    }

    @Test
    void archiveIdsSortInArchiveOrderAsText() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(storage.archive().append(ALICE, i % 3 == 0 ? CAROL : BOB, chat("m" + i), T0).id());
        }
        List<String> sorted = new ArrayList<>(ids);
        java.util.Collections.sort(sorted);
        assertEquals(ids, sorted);
        assertEquals(300, new java.util.HashSet<>(ids).size());
        ArchivePage page = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 300, false));
        assertEquals(ids, page.messages().stream().map(ArchivedMessage::id).toList());
    }

    @Test
    void aQueryRightAfterConcurrentAppendsSeesEveryOne() throws Exception {
        int threads = 4;
        int each = 250;
        List<Thread> appenders = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int n = t;
            Thread a = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    storage.archive().append(ALICE, BOB, chat(n + "-" + i), T0);
                    storage.archive().append(BOB, ALICE, chat(n + "-" + i), T0);
                }
            });
            a.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            appenders.add(a);
            a.start();
        }
        for (Thread a : appenders) {
            a.join();
        }
        assertEquals(List.of(), failures);
        ArchiveQuery everything = new ArchiveQuery(null, null, null, null, null, null, 10, true);
        assertEquals(threads * each, storage.archive().query(ALICE, everything).count());
        assertEquals(threads * each, storage.archive().query(BOB, everything).count());
        // Each appender's messages keep their order within the owner's archive.
        List<String> firstAppender = bodies(storage.archive().query(ALICE,
                new ArchiveQuery(null, null, null, null, null, null, threads * each, false)).messages())
                .stream().filter(b -> b.startsWith("0-")).toList();
        assertEquals(java.util.stream.IntStream.range(0, each).mapToObj(i -> "0-" + i).toList(), firstAppender);
    }

    @Test
    void anAppendedMessageIsFoundByItsIdAtOnce() {
        ArchivedMessage m = storage.archive().append(ALICE, BOB, chat("stamped"), T0);
        ArchivePage byId = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, null, List.of(m.id()), 10, false));
        assertEquals(List.of(m.id()), byId.messages().stream().map(ArchivedMessage::id).toList());
        assertEquals(m.timestamp(), byId.messages().get(0).timestamp());
        assertEquals(m.message(), byId.messages().get(0).message());
    }

    @Test
    void deletingAUserRemovesPendingAppendsAndCachedPreferences() {
        storage.archive().preferences(ALICE, new ArchivePreferences(ArchivePreferences.Mode.NEVER, Set.of(), Set.of()));
        assertTrue(storage.archive().preferences(ALICE).isPresent());
        for (int i = 0; i < 50; i++) {
            storage.archive().append(ALICE, BOB, chat("m" + i), T0);
        }
        storage.archive().deleteUser(ALICE);
        assertTrue(storage.archive().preferences(ALICE).isEmpty());
        assertEquals(0, storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 10, false)).count());
        storage.archive().append(ALICE, BOB, chat("after"), T0);
        assertEquals(List.of("after"), bodies(storage.archive()
                .query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 10, false)).messages()));
    }

    @Test
    void closeWritesEveryAppendAndIdsStayAheadAfterReopen() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(durable(), "not a durable store");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ids.add(storage.archive().append(ALICE, BOB, chat("m" + i), T0).id());
        }
        // No query in between: only close() can have written the tail.
        storage.close();
        storage = open();
        ArchivePage all = storage.archive().query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 2_000, false));
        assertEquals(ids, all.messages().stream().map(ArchivedMessage::id).toList());
        String next = storage.archive().append(ALICE, BOB, chat("after the reopen"), T0).id();
        assertTrue(next.compareTo(ids.get(ids.size() - 1)) > 0, next + " after " + ids.get(ids.size() - 1));
        assertEquals("after the reopen", bodies(storage.archive().query(ALICE,
                new ArchiveQuery(null, null, null, null, null, null, 1, true)).messages()).get(0));
    }

    @Test
    void privateXmlAndVCardsAreReplacedByName() {
        XmlElement bookmarks = XmlElement.builder("storage:bookmarks", "storage")
                .child(XmlElement.builder("storage:bookmarks", "conference").attribute("jid", "room@muc.example.com").build()).build();
        storage.privateXml().put(ALICE, bookmarks);
        assertEquals(bookmarks, storage.privateXml().get(ALICE, "storage:bookmarks", "storage").orElseThrow());
        assertTrue(storage.privateXml().get(ALICE, "storage:rosternotes", "storage").isEmpty());
        XmlElement empty = XmlElement.empty("storage:bookmarks", "storage");
        storage.privateXml().put(ALICE, empty);
        assertEquals(empty, storage.privateXml().get(ALICE, "storage:bookmarks", "storage").orElseThrow());

        XmlElement vcard = XmlElement.builder("vcard-temp", "vCard")
                .child(XmlElement.builder("vcard-temp", "FN").text("Alice Liddell ☃").build()).build();
        storage.vcards().put(ALICE, vcard);
        assertEquals(vcard, storage.vcards().get(ALICE).orElseThrow());
        assertTrue(storage.vcards().get(BOB).isEmpty());
    }

    @Test
    void survivesReopen() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(durable(), "not a durable store");
        storage.rosters().update(ALICE, r -> r.with(RosterItem.of(BOB).withSubscription(Subscription.BOTH)));
        storage.offline().store(BOB, chat("kept"), T0, 10);
        storage.archive().append(ALICE, BOB, chat("archived"), T0);
        storage.vcards().put(ALICE, XmlElement.empty("vcard-temp", "vCard"));
        storage.close();
        storage = open();
        assertEquals(Subscription.BOTH, storage.rosters().get(ALICE).subscription(BOB));
        assertEquals(1, storage.rosters().get(ALICE).version());
        assertEquals("kept", Message.wrap(storage.offline().peek(BOB).get(0).message()).body());
        assertEquals(List.of("archived"), bodies(storage.archive()
                .query(ALICE, new ArchiveQuery(null, null, null, null, null, null, 10, false)).messages()));
        assertTrue(storage.vcards().get(ALICE).isPresent());
    }

    static XmlElement chat(String body) {
        return Message.builder().from(ALICE.withResource("phone")).to(BOB).type(MessageType.CHAT).id(body).body(body).build().element();
    }

    static List<String> bodies(List<ArchivedMessage> messages) {
        return messages.stream().map(m -> Message.wrap(m.message()).body()).toList();
    }
}
