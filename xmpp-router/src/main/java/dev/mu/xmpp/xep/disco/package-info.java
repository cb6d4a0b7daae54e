/** XEP-0030 service discovery of the server and its accounts (<a href="https://xmpp.org/extensions/xep-0030.html">XEP-0030</a>). */
package dev.mu.xmpp.xep.disco;
