package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.router.Router;
import dev.mu.xmpp.sasl.CredentialStore;
import dev.mu.xmpp.sasl.SaslMechanisms;
import dev.mu.xmpp.server.sm.ResumableStreams;

/**
 * What every client connection of one server shares.
 *
 * @param domain             the server's domain
 * @param router             the router sessions bind to
 * @param credentials        the users' credentials
 * @param mechanisms         the SASL mechanisms offered
 * @param tls                the TLS certificate source
 * @param allowPlaintextAuth whether authentication without TLS is allowed
 * @param plainWithScram     whether PLAIN is offered where SCRAM can authenticate the user too
 * @param limits             the limits of client connections, the XML limits among them
 * @param streams            the sessions' streams, resumable with XEP-0198
 * @param authThrottle       the failed authentications across connections
 * @param connectionLimit    the open connections per address, shared by the listeners
 */
record C2sSettings(DomainJid domain, Router router, CredentialStore credentials, SaslMechanisms mechanisms,
                   TlsContextSource tls, boolean allowPlaintextAuth, boolean plainWithScram, C2sLimits limits,
                   ResumableStreams streams, AuthThrottle authThrottle, ConnectionLimitHandler connectionLimit) {
}
