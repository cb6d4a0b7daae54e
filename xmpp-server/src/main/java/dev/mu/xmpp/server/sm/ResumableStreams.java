package dev.mu.xmpp.server.sm;

import dev.mu.xmpp.core.jid.EntityBareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.ClientSession;
import dev.mu.xmpp.router.Router;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's client streams that can be resumed (XEP-0198 §5), and the end of every client stream:
 * its session leaves the router and its unacknowledged stanzas go back to the router as undelivered.
 *
 * <p>Thread-safe.
 */
public final class ResumableStreams {

    private static final Logger log = LoggerFactory.getLogger(ResumableStreams.class);
    private static final int ID_BYTES = 18;

    private final Router router;
    private final StreamManagementConfig config;
    private final ConcurrentHashMap<String, ClientStream> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Streams of the router's sessions, managed by the configuration. */
    public ResumableStreams(Router router, StreamManagementConfig config) {
        this.router = router;
        this.config = config;
    }

    /** The stream management configuration. */
    public StreamManagementConfig config() {
        return config;
    }

    /** A new stream attached to a connection. */
    public ClientStream newStream(ClientStream.Connection connection) {
        return new ClientStream(this, connection);
    }

    /** The streams that are resumable right now, attached or not. */
    public int size() {
        return byId.size();
    }

    String register(ClientStream stream) {
        byte[] b = new byte[ID_BYTES];
        random.nextBytes(b);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        byId.put(id, stream);
        return id;
    }

    /**
     * The connection of a stream broke without the stream ending: keeps a resumable session for the
     * resumption timeout, ends any other.
     *
     * @param timer where the resumption timeout runs, such as the connection's event loop
     */
    public void connectionLost(ClientStream stream, ClientStream.Connection connection, ScheduledExecutorService timer) {
        if (!stream.attachedTo(connection)) {
            return;
        }
        if (stream.resumable()) {
            String id = stream.resumptionId();
            var expiry = timer.schedule(() -> {
                if (byId.remove(id, stream)) {
                    log.debug("xmpp c2s resumption of {} timed out", stream.session());
                    end(stream);
                }
            }, config.resumptionTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (stream.detach(connection, expiry)) {
                log.debug("xmpp c2s {} detached, resumable for {}", stream.session(), config.resumptionTimeout());
                return;
            }
            expiry.cancel(false);
        }
        terminate(stream);
    }

    /**
     * XEP-0198 §5: takes the resumable stream with this id for a new connection of the same user.
     *
     * @return the stream, or {@code null} when there is none for this user (item-not-found)
     */
    public ClientStream take(String id, EntityBareJid user) {
        ClientStream s = id == null ? null : byId.get(id);
        if (s == null || s.session() == null || !s.session().jid().asBare().equals(user) || !byId.remove(id, s)) {
            return null;
        }
        return s;
    }

    /**
     * Attaches a taken stream to its new connection and resends what was not acknowledged.
     *
     * @return the connection it was attached to before, or {@code null}
     * @throws IllegalStateException when the stream ended meanwhile
     * @throws IllegalArgumentException when {@code h} acknowledges more than was sent
     */
    public ClientStream.Connection resume(ClientStream stream, ClientStream.Connection connection, long h) {
        ClientStream.Connection previous;
        try {
            previous = stream.resume(connection, h);
        } catch (IllegalArgumentException e) {
            // Still detached, and still expiring: the timer finds it under its id.
            byId.put(stream.resumptionId(), stream);
            throw e;
        }
        byId.put(stream.resumptionId(), stream);
        return previous;
    }

    /** Ends a stream for good, now: see {@link #end}. */
    public void terminate(ClientStream stream) {
        String id = stream.resumptionId();
        if (id != null) {
            byId.remove(id, stream);
        }
        end(stream);
    }

    /** The session leaves the router, then what the client never acknowledged is routed as undelivered. */
    private void end(ClientStream stream) {
        List<XmlElement> unacked = stream.end();
        if (unacked == null) {
            return;
        }
        ClientSession session = stream.session();
        if (session != null) {
            router.closed(session);
        }
        if (!unacked.isEmpty()) {
            log.debug("xmpp c2s {} ended with {} unacknowledged stanzas", session, unacked.size());
        }
        unacked.forEach(this::undelivered);
    }

    void undelivered(XmlElement stanza) {
        try {
            router.undelivered(stanza);
        } catch (RuntimeException e) {
            log.warn("xmpp c2s could not re-route an undelivered stanza", e);
        }
    }
}
