package dev.mu.xmpp.core.stream;

/**
 * What the stream decoder reports, in stream order: one {@link StreamOpen}, then any number of
 * {@link StreamElement}s, then {@link StreamClose}; or, at any point, one {@link StreamViolation}
 * after which the decoder reports nothing more until it is reset.
 *
 * <p>Events are immutable and safe to pass between threads.
 */
public sealed interface XmppStreamEvent permits StreamOpen, StreamElement, StreamClose, StreamViolation {
}
