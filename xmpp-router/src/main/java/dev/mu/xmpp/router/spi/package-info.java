/** The module and storage SPIs that XEP features and storage back ends plug into (<a href="https://www.rfc-editor.org/rfc/rfc6120">RFC 6120</a>). */
package dev.mu.xmpp.router.spi;
