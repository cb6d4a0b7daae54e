/** XEP-0160 offline messages: kept while a user is offline, delivered at the next available presence (<a href="https://xmpp.org/extensions/xep-0160.html">XEP-0160</a>). */
package dev.mu.xmpp.xep.offline;
