package dev.mu.xmpp.server;

/** A user event: the client has been silent for the ping interval; the session handler pings it (XEP-0199). */
enum KeepalivePing {
    /** The single event. */
    DUE
}
