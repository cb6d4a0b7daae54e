/** A load generator that logs XMPP clients into any server and measures logins, delivery and latency (<a href="https://www.rfc-editor.org/rfc/rfc6120">RFC 6120</a>). */
package dev.mu.xmpp.benchmarks.load;
