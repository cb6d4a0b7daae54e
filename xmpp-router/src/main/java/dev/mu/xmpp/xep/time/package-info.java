/** XEP-0202 entity time of the server (<a href="https://xmpp.org/extensions/xep-0202.html">XEP-0202</a>). */
package dev.mu.xmpp.xep.time;
