/** XEP-0054 vcard-temp: users publish their vCard and read others' (<a href="https://xmpp.org/extensions/xep-0054.html">XEP-0054</a>). */
package dev.mu.xmpp.xep.vcard;
