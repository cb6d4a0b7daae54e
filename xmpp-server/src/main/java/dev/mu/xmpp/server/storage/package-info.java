/** Durable storage over JDBC: the embedded H2 default and PostgreSQL, one schema migrated by Flyway (<a href="https://xmpp.org/extensions/xep-0313.html">XEP-0313</a>, <a href="https://xmpp.org/extensions/xep-0160.html">XEP-0160</a>). */
package dev.mu.xmpp.server.storage;
