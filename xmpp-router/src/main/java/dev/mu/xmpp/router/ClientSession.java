package dev.mu.xmpp.router;

import dev.mu.xmpp.core.jid.FullJid;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.stanza.Presence;
import dev.mu.xmpp.core.stanza.Stanza;
import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Session;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client's bound session as the router sees it: its full JID, its presence and what it asked for.
 *
 * <p>Thread-safe: the transport's thread and routing threads read and update it concurrently.
 */
public final class ClientSession implements Session {

    private static final VarHandle DIRECTED_PRESENCE;

    static {
        try {
            DIRECTED_PRESENCE = MethodHandles.lookup().findVarHandle(ClientSession.class, "directedPresence", Set.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SessionTransport transport;
    private volatile FullJid jid;
    /** The last available presence the client broadcast, or null while it is unavailable. */
    private volatile Presence presence;
    /** RFC 6121 §2.1.6: roster pushes go only to resources that requested the roster. */
    private volatile boolean interested;
    /**
     * RFC 6121 §4.6.3: entities that got directed presence must get unavailable presence too. Created
     * with the first one, since most sessions never send directed presence; never unset again.
     */
    private volatile Set<Jid> directedPresence;

    ClientSession(SessionTransport transport) {
        this.transport = transport;
    }

    /** The bound full JID, or {@code null} before resource binding. */
    public FullJid jid() {
        return jid;
    }

    void bound(FullJid value) {
        this.jid = value;
    }

    @Override
    public Jid address() {
        return jid;
    }

    @Override
    public void send(Stanza stanza) {
        transport.write(stanza.element());
    }

    /** Writes an element that is not a valid stanza, such as the error reply to one that was not. */
    void write(XmlElement element) {
        transport.write(element);
    }

    /** Whether the client has sent available presence and not since gone unavailable. */
    public boolean isAvailable() {
        return presence != null;
    }

    /** The client's current available presence, or {@code null}. */
    public Presence presence() {
        return presence;
    }

    void presence(Presence value) {
        this.presence = value;
    }

    /** The priority of the current presence; unavailable sessions have none and report {@link Integer#MIN_VALUE}. */
    public int priority() {
        Presence p = presence;
        return p == null ? Integer.MIN_VALUE : p.priority();
    }

    boolean isInterested() {
        return interested;
    }

    void interested(boolean value) {
        this.interested = value;
    }

    /** The entities that got directed presence and have not had unavailable presence since; read-only. */
    Set<Jid> directedPresence() {
        Set<Jid> s = directedPresence;
        return s == null ? Set.of() : Collections.unmodifiableSet(s);
    }

    void addDirectedPresence(Jid to) {
        Set<Jid> s = directedPresence;
        if (s == null) {
            DIRECTED_PRESENCE.compareAndSet(this, null, ConcurrentHashMap.newKeySet());
            s = directedPresence;
        }
        s.add(to);
    }

    void removeDirectedPresence(Jid to) {
        Set<Jid> s = directedPresence;
        if (s != null) {
            s.remove(to);
        }
    }

    void clearDirectedPresence() {
        Set<Jid> s = directedPresence;
        if (s != null) {
            s.clear();
        }
    }

    void close(StreamError error, String text) {
        transport.close(error, text);
    }

    @Override
    public String toString() {
        return "ClientSession[" + jid + "]";
    }
}
