/** Server-side SASL mechanisms as byte-in/byte-out state machines, and the credential-store SPI they read (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6">RFC 6120 §6</a>). */
package dev.mu.xmpp.sasl;
