/** XEP-0203 delayed delivery stamps (<a href="https://xmpp.org/extensions/xep-0203.html">XEP-0203</a>). */
package dev.mu.xmpp.xep.delay;
