/** XEP-0198 stream management for client streams: acknowledgements, resumption, and what happens to unacknowledged stanzas; see <a href="https://xmpp.org/extensions/xep-0198.html">XEP-0198</a>. */
package dev.mu.xmpp.server.sm;
