package dev.mu.xmpp.server;

import dev.mu.xmpp.core.jid.DomainJid;
import dev.mu.xmpp.core.stream.XmppDecoderConfig;
import java.time.Duration;

/**
 * What every server-to-server stream of one server shares.
 *
 * @param domain             the domain this server serves
 * @param tls                the certificate source, also presented for SASL EXTERNAL
 * @param trust              which peer certificates prove their domain
 * @param dialback           whether peers whose certificates do not validate may use Server Dialback
 * @param keys               the dialback key generator
 * @param policy             which domains this server federates with
 * @param decoderConfig      the XML limits for server streams
 * @param idleTimeout        how long a stream may carry nothing before it is closed
 * @param setupTimeout       how long an outbound stream may take to be ready for stanzas
 */
record S2sSettings(DomainJid domain, TlsContextSource tls, S2sTrust trust, boolean dialback, DialbackKeys keys,
                   DomainPolicy policy, XmppDecoderConfig decoderConfig, Duration idleTimeout, Duration setupTimeout) {

    /** Whether {@code domain} is this server's own domain. */
    boolean serves(String domain) {
        return domain != null && domain.equalsIgnoreCase(this.domain.domain());
    }
}
