/** XEP-0049 private XML storage, used by clients for bookmarks and notes (<a href="https://xmpp.org/extensions/xep-0049.html">XEP-0049</a>). */
package dev.mu.xmpp.xep.privatedata;
