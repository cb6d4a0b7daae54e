/** XEP-0012 last activity: server uptime and when a user was last online (<a href="https://xmpp.org/extensions/xep-0012.html">XEP-0012</a>). */
package dev.mu.xmpp.xep.last;
