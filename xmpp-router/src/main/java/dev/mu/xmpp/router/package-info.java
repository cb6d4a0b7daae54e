/** Sessions, resource binding, presence, rosters and routing rules (<a href="https://www.rfc-editor.org/rfc/rfc6121">RFC 6121</a>). */
package dev.mu.xmpp.router;
