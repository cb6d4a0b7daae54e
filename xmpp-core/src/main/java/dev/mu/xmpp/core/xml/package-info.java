/** The immutable XML element tree every stanza is parsed into (<a href="https://www.rfc-editor.org/rfc/rfc6120#section-11">RFC 6120 §11</a>); the limits that bound its parsing are in {@code dev.mu.xmpp.core.stream.XmppDecoderConfig}. */
package dev.mu.xmpp.core.xml;
