package dev.mu.xmpp.router;

import static org.junit.jupiter.api.Assertions.fail;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.router.memory.InMemoryRosterStore;
import dev.mu.xmpp.router.memory.InMemoryStorageProvider;
import dev.mu.xmpp.router.spi.RemoteRouter;
import dev.mu.xmpp.router.spi.Roster;
import dev.mu.xmpp.router.spi.RosterItem;
import dev.mu.xmpp.router.spi.StorageProvider;
import dev.mu.xmpp.router.spi.Subscription;
import dev.mu.xmpp.router.spi.XmppModule;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A router for {@value #DOMAIN} with in-memory accounts and rosters, and the clients logged in to it:
 * the "given" half of a transcript test.
 *
 * <pre>{@code
 * TestServer server = new TestServer("alice", "bob");
 * TestClient alice = server.online("alice", "phone");
 * alice.send("<message to='bob@example.com'><body>hi</body></message>");
 * }</pre>
 */
public final class TestServer {

    /** The server's domain. */
    public static final String DOMAIN = "example.com";

    private final Set<EntityBareJid> accounts = ConcurrentHashMap.newKeySet();
    private final InMemoryRosterStore rosters = new InMemoryRosterStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final List<TestClient> clients = new CopyOnWriteArrayList<>();
    private final StorageProvider storage;
    private final Router router;

    /** A server with the given accounts and no modules. */
    public TestServer(String... users) {
        this(List.of(), users);
    }

    /** A server with the given accounts and modules. */
    public TestServer(List<? extends XmppModule> modules, String... users) {
        this(clock -> modules, users);
    }

    /** A server with the given accounts and the modules made for the server's clock. */
    public TestServer(Function<Clock, List<? extends XmppModule>> modules, String... users) {
        this(modules, new InMemoryStorageProvider(), Map.of(), users);
    }

    /**
     * A server with the given accounts, the modules made for the server's clock, the stores they
     * keep their data in (rosters stay in {@link #rosters()}) and typed module options.
     */
    public TestServer(Function<Clock, List<? extends XmppModule>> modules, StorageProvider storage,
                      Map<String, ?> options, String... users) {
        this(modules, storage, options, null, users);
    }

    /** A server with the given accounts that hands stanzas for other domains to {@code remote}. */
    public TestServer(RemoteRouter remote, String... users) {
        this(clock -> List.of(), new InMemoryStorageProvider(), Map.of(), remote, users);
    }

    private TestServer(Function<Clock, List<? extends XmppModule>> modules, StorageProvider storage,
                       Map<String, ?> options, RemoteRouter remote, String... users) {
        for (String u : users) {
            accounts.add(bare(u));
        }
        this.storage = storage;
        Router.Builder b = Router.builder(DomainJid.of(DOMAIN))
                .users(accounts::contains)
                .rosters(rosters)
                .storage(storage)
                .options(options)
                .modules(modules.apply(clock))
                .clock(clock);
        if (remote != null) {
            b.remote(remote);
        }
        router = b.build();
    }

    /** A server running every module found by {@link ServiceLoader}, as the server module builds it. */
    public static TestServer withServiceModules(String... users) {
        List<XmppModule> modules = new ArrayList<>();
        ServiceLoader.load(XmppModule.class).forEach(modules::add);
        return new TestServer(modules, users);
    }

    /** {@code user@example.com}, or the JID itself when it already has a domain. */
    public static EntityBareJid bare(String user) {
        return EntityBareJid.of(user.contains("@") ? user : user + "@" + DOMAIN);
    }

    public Router router() {
        return router;
    }

    /** The stores the modules keep their data in. */
    public StorageProvider storage() {
        return storage;
    }

    public MutableClock clock() {
        return clock;
    }

    public InMemoryRosterStore rosters() {
        return rosters;
    }

    /** A new connection that has not bound a resource yet. */
    public TestClient connect() {
        RecordingTransport transport = new RecordingTransport();
        TestClient client = new TestClient(this, router.newSession(transport), transport);
        clients.add(client);
        return client;
    }

    /** A connection with a bound resource ({@code null} to have the server generate one), nothing sent yet. */
    public TestClient bound(String user, String resource) {
        TestClient client = connect();
        try {
            router.bind(client.session(), bare(user), resource);
        } catch (BindException e) {
            fail("bind failed: " + e.getMessage());
        }
        return client;
    }

    /**
     * Logs a user in as a typical client does: binds, requests the roster (becoming an interested
     * resource) and sends initial presence with the given priority; its own queue is then emptied.
     */
    public TestClient online(String user, String resource, int priority) {
        TestClient client = bound(user, resource);
        client.requestRoster();
        client.send(priority == 0 ? "<presence/>" : "<presence><priority>" + priority + "</priority></presence>");
        client.drain();
        return client;
    }

    /** {@link #online(String, String, int)} with priority 0. */
    public TestClient online(String user, String resource) {
        return online(user, resource, 0);
    }

    /** Empties every client's queue, for when a test's "given" leaves traffic it does not assert. */
    public void quiet() {
        clients.forEach(TestClient::drain);
    }

    /** Stores a subscription state between two users directly, both sides consistent. */
    public void subscription(String user, String contact, Subscription state) {
        EntityBareJid u = bare(user);
        EntityBareJid c = bare(contact);
        rosters.update(u, r -> r.with(item(r, c).withSubscription(state)));
        Subscription mirror = switch (state) {
            case TO -> Subscription.FROM;
            case FROM -> Subscription.TO;
            default -> state;
        };
        if (accounts.contains(c)) {
            rosters.update(c, r -> r.with(item(r, u).withSubscription(mirror)));
        }
    }

    /** Both users see each other's presence. */
    public void friends(String a, String b) {
        subscription(a, b, Subscription.BOTH);
    }

    /** The user's roster as stored. */
    public Roster roster(String user) {
        return rosters.get(bare(user));
    }

    /** The user's item for the contact, or {@code null}. */
    public RosterItem item(String user, String contact) {
        return roster(user).item(bare(contact));
    }

    private static RosterItem item(Roster r, EntityBareJid jid) {
        RosterItem item = r.item(jid);
        return item == null ? RosterItem.of(jid) : item;
    }
}
