/** Mu's XMPP service: Mu accounts and access tokens as SASL credentials (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-6">RFC 6120 §6</a>), Mu's environment, its status entry and the bundled {@code mu-xmpp.jar}. */
package dev.mu.xmpp.mu;
