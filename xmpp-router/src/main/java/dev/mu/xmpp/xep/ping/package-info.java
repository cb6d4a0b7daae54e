/** XEP-0199 XMPP ping, answered for the server (<a href="https://xmpp.org/extensions/xep-0199.html">XEP-0199</a>). */
package dev.mu.xmpp.xep.ping;
