/** XEP-0313 message archive management, with XEP-0059 paging and XEP-0359 stanza ids (<a href="https://xmpp.org/extensions/xep-0313.html">XEP-0313</a>). */
package dev.mu.xmpp.xep.mam;
