/** In-memory stores behind the storage SPI, for tests and embedders that keep nothing on disk (<a href="https://www.rfc-editor.org/rfc/rfc6121#section-2">RFC 6121 §2</a>). */
package dev.mu.xmpp.router.memory;
