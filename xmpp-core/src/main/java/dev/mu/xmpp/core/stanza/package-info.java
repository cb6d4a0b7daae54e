/** Immutable message, presence and IQ stanzas over the element tree, and stanza errors (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-8">RFC 6120 §8</a>). */
package dev.mu.xmpp.core.stanza;
