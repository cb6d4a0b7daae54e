/** XMPP addresses as a typed lattice of bare, domain and full JIDs, prepared with PRECIS (<a href="https://www.rfc-editor.org/rfc/rfc7622">RFC 7622</a>). */
package dev.mu.xmpp.core.jid;
