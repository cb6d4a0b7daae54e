package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.mu.xmpp.server.storage.JdbcStorageProvider;
import java.nio.file.Path;
import java.util.List;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterGroup;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user stored survives a server restart: a server is closed and a new one started over the
 * same database. Subclasses say which database.
 */
abstract class RestartContract {

    @TempDir
    Path dataDir;

    private XmppServer server;

    /** Opens the database under test; the same one each time within a test. */
    abstract JdbcStorageProvider open();

    private XmppServer startServer() {
        JdbcStorageProvider storage = open();
        if (!storage.accounts().exists("alice")) {
            storage.accounts().setPassword("alice", "wonderland");
            storage.accounts().setPassword("bob", "builder");
        }
        server = XmppServer.builder().domain(Persistence.DOMAIN).bindAddress("127.0.0.1").c2sPort(0).directTlsPort(-1).s2sPort(-1)
                .dataDirectory(dataDir).credentials(storage.accounts())
                .users(user -> storage.accounts().exists(user.local())).storage(storage)
                .build().start();
        return server;
    }

    /** Closes the server if one runs; subclasses call it before removing the database. */
    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Test
    void rosterVCardAndArchiveSurviveARestart() throws Exception {
        startServer();
        try (Persistence.Client alice = Persistence.login(server.c2sPort(), "alice", "wonderland", "phone")) {
            Roster.getInstanceFor(alice.connection()).createItem(Persistence.jid("bob"), "Bobby", new String[] {"Friends", "Work"});
            VCard card = new VCard();
            card.setFirstName("Alice");
            card.setLastName("Liddell");
            card.setNickName("al");
            VCardManager.getInstanceFor(alice.connection()).saveVCard(card);
            alice.send("bob", "before the restart");
            alice.ping();
        }
        server.close();
        server = null;

        startServer();
        try (Persistence.Client alice = Persistence.login(server.c2sPort(), "alice", "wonderland", "phone");
             Persistence.Client bob = Persistence.login(server.c2sPort(), "bob", "builder", "laptop")) {
            Roster roster = Roster.getInstanceFor(alice.connection());
            roster.reloadAndWait();
            RosterEntry entry = roster.getEntry(Persistence.jid("bob"));
            assertNotNull(entry, () -> "roster after restart: " + roster.getEntries());
            assertEquals("Bobby", entry.getName());
            assertEquals(List.of("Friends", "Work"), entry.getGroups().stream().map(RosterGroup::getName).sorted().toList());

            VCard own = VCardManager.getInstanceFor(alice.connection()).loadVCard();
            assertEquals("Alice", own.getFirstName());
            assertEquals("Liddell", own.getLastName());
            VCard seenByBob = VCardManager.getInstanceFor(bob.connection()).loadVCard(Persistence.jid("alice"));
            assertEquals("al", seenByBob.getNickName());

            // Bob was offline: the message waited for him across the restart.
            assertEquals(List.of("before the restart"), bob.received().stream().map(Message::getBody).toList());
            assertEquals(List.of("before the restart"), MamManager.getInstanceFor(alice.connection())
                    .queryArchive(MamQueryArgs.builder().build()).getMessages().stream().map(Message::getBody).toList());
        }
    }
}
