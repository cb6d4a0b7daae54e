/** Binds typed payloads to and from the element tree with Jakarta XML Binding, off the hot path (<a href="https://jakarta.ee/specifications/xml-binding/4.0/">Jakarta XML Binding 4.0</a>). */
package dev.mu.xmpp.core.jaxb;
