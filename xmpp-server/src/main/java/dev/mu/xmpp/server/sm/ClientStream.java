package dev.mu.xmpp.server.sm;

import dev.mu.xmpp.core.stream.StreamError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.ClientSession;
import dev.mu.xmpp.router.SessionTransport;
import java.util.List;
import java.util.concurrent.Future;

/**
 * A client's session as its transport: it outlives the TCP connection it is attached to when
 * XEP-0198 resumption is on, keeps what the client has not acknowledged, and hands that back to the
 * router as undelivered when the session ends.
 *
 * <p>Thread-safe: the router writes from any thread, connections attach and detach from their event
 * loops. One lock orders the queue and the writes to the connection, so stanzas reach the client in
 * the order they were numbered.
 */
public final class ClientStream implements SessionTransport {

    /** The connection a stream is attached to; implemented by the transport. */
    public interface Connection {
        /** Queues an element for the client; thread-safe. */
        void write(XmlElement element);

        /** Closes the stream with a stream error when not {@code null}; thread-safe. */
        void close(StreamError error, String text);
    }

    private final ResumableStreams streams;
    private final StreamManagementConfig config;
    private final Object lock = new Object();
    private volatile ClientSession session;
    /** Guarded by lock; {@code null} while detached or after the end. */
    private Connection connection;
    /** Guarded by lock; {@code null} until stream management is enabled. */
    private UnackedStanzas unacked;
    /** Guarded by lock. */
    private boolean ended;
    /** Guarded by lock: the resumption timer while detached. */
    private Future<?> expiry;
    private volatile String resumptionId;
    /** Stanzas handled from the client since enabling, modulo 2^32; only the attached connection's loop writes it. */
    private volatile long inbound;

    ClientStream(ResumableStreams streams, Connection connection) {
        this.streams = streams;
        this.config = streams.config();
        this.connection = connection;
    }

    /** Records the router's session once bound. */
    public void session(ClientSession value) {
        this.session = value;
    }

    /** The router's session, or {@code null} before binding. */
    public ClientSession session() {
        return session;
    }

    @Override
    public void write(XmlElement stanza) {
        boolean orphan = false;
        boolean overflow = false;
        synchronized (lock) {
            if (ended) {
                // The session ended while the router was delivering to it: never lose it silently.
                orphan = unacked != null;
            } else {
                if (unacked != null) {
                    overflow = unacked.size() >= config.maxUnacked();
                    unacked.add(stanza);
                }
                if (connection != null) {
                    connection.write(stanza);
                    if (unacked != null && unacked.dueForRequest(config.ackRequestEvery())) {
                        connection.write(StreamManagement.REQUEST);
                    }
                }
            }
        }
        if (orphan) {
            streams.undelivered(stanza);
        }
        if (overflow) {
            close(StreamError.POLICY_VIOLATION, "Too many unacknowledged stanzas");
        }
    }

    @Override
    public void close(StreamError error, String text) {
        Connection c;
        synchronized (lock) {
            c = connection;
        }
        if (c != null) {
            c.close(error, text);
        } else {
            streams.terminate(this);
        }
    }

    /**
     * XEP-0198 §3: turns stream management on and tells the client with {@code <enabled/>}, written
     * under the same lock as stanzas, so that both sides start counting at the same stanza.
     *
     * @param resume whether the client asked for resumption; granted unless the timeout is zero
     * @throws IllegalStateException when it is on already
     */
    public void enable(boolean resume) {
        if (managed()) {
            throw new IllegalStateException("stream management is enabled already");
        }
        String id = resume && !config.resumptionTimeout().isZero() ? streams.register(this) : null;
        synchronized (lock) {
            unacked = new UnackedStanzas();
            resumptionId = id;
            inbound = 0;
            if (connection != null) {
                connection.write(StreamManagement.enabled(id, config.resumptionTimeout().toSeconds()));
            }
        }
    }

    /** Whether stream management is on. */
    public boolean managed() {
        synchronized (lock) {
            return unacked != null;
        }
    }

    /** Whether a broken connection leaves this session resumable. */
    public boolean resumable() {
        return resumptionId != null;
    }

    /** Counts one stanza handled from the client (XEP-0198 §4). */
    public void handled() {
        inbound = (inbound + 1) & StreamManagement.MASK;
    }

    /** The stanzas handled from the client, for {@code <a h=.../>}. */
    public long inbound() {
        return inbound;
    }

    /** The stanzas sent to the client since enabling. */
    public long sent() {
        synchronized (lock) {
            return unacked == null ? 0 : unacked.sent();
        }
    }

    /**
     * XEP-0198 §4: drops what the client acknowledged.
     *
     * @return false when {@code h} is more than was sent
     */
    public boolean acknowledged(long h) {
        synchronized (lock) {
            return unacked == null || unacked.ack(h);
        }
    }

    /** Whether this connection is the one the stream is attached to. */
    public boolean attachedTo(Connection c) {
        synchronized (lock) {
            return connection == c;
        }
    }

    /**
     * Detaches the broken connection and keeps the session for resumption.
     *
     * @return false when the stream is attached elsewhere or over, and nothing was done
     */
    boolean detach(Connection c, Future<?> timer) {
        synchronized (lock) {
            if (connection != c || ended) {
                return false;
            }
            connection = null;
            expiry = timer;
            return true;
        }
    }

    /**
     * XEP-0198 §5: attaches a new connection, tells it {@code <resumed/>} and sends again what the
     * client's {@code h} did not acknowledge.
     *
     * @return the connection attached before, to be closed, or {@code null}
     * @throws IllegalStateException when the session ended meanwhile, or {@code h} is impossible
     */
    Connection resume(Connection c, long h) {
        synchronized (lock) {
            if (ended) {
                throw new IllegalStateException("ended");
            }
            if (!unacked.ack(h)) {
                throw new IllegalArgumentException("h=" + h + " acknowledges more than the " + unacked.sent() + " stanzas sent");
            }
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
            Connection previous = connection;
            connection = c;
            c.write(StreamManagement.resumed(resumptionId, inbound));
            List<XmlElement> again = unacked.pending();
            for (XmlElement e : again) {
                c.write(e);
            }
            if (!again.isEmpty()) {
                c.write(StreamManagement.REQUEST);
            }
            return previous;
        }
    }

    /** Ends the stream for good; returns what the client never acknowledged, or {@code null} when it ended before. */
    List<XmlElement> end() {
        synchronized (lock) {
            if (ended) {
                return null;
            }
            ended = true;
            connection = null;
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
            return unacked == null ? List.of() : unacked.drain();
        }
    }

    String resumptionId() {
        return resumptionId;
    }
}
