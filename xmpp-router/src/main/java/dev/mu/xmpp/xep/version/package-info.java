/** XEP-0092 software version of the server (<a href="https://xmpp.org/extensions/xep-0092.html">XEP-0092</a>). */
package dev.mu.xmpp.xep.version;
