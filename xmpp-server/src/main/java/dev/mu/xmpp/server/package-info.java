/** The Netty bootstrap for client-to-server streams, TLS, configuration and the bundled server (<a href="https://www.rfc-editor.org/rfc/rfc6120">RFC 6120</a>). */
package dev.mu.xmpp.server;
