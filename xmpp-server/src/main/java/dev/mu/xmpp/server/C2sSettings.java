package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import dev.mu.xmpp.router.Router;
import dev.mu.xmpp.sasl.CredentialStore;
import dev.mu.xmpp.sasl.SaslMechanisms;

/**
 * What every client connection of one server shares.
 *
 * @param domain             the server's domain
 * @param router             the router sessions bind to
 * @param credentials        the users' credentials
 * @param mechanisms         the SASL mechanisms offered
 * @param tls                the TLS certificate source
 * @param allowPlaintextAuth whether authentication without TLS is allowed
 * @param decoderConfig      the XML limits for client streams
 */
record C2sSettings(DomainJid domain, Router router, CredentialStore credentials, SaslMechanisms mechanisms,
                   TlsContextSource tls, boolean allowPlaintextAuth, XmppDecoderConfig decoderConfig) {
}
