/** XEP-0115 entity capabilities of the server, advertised in stream features (<a href="https://xmpp.org/extensions/xep-0115.html">XEP-0115</a>). */
package dev.mu.xmpp.xep.caps;
