/** The XML stream codec: stream events, stream errors, the non-blocking decoder, the encoder and their Netty handlers (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-4">RFC 6120 §4</a>). */
package dev.mu.xmpp.core.stream;
