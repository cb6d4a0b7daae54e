/** The immutable XML element tree every stanza is parsed into, and its restricted-XML limits (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-11">RFC 6120 §11</a>). */
package dev.mu.xmpp.core.xml;
