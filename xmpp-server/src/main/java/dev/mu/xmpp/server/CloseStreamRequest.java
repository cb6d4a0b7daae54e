package dev.mu.xmpp.server;

import dev.mu.xmpp.core.stream.StreamError;

/**
 * A user event a limit handler fires down the pipeline: the session handler ends the stream with
 * the stream error (RFC 6120 §4.9), which only it can write in the right place of the stream.
 *
 * @param error     the stream error condition
 * @param text      a description for the client, or {@code null}
 * @param resumable whether an XEP-0198 resumable session survives, as it does a broken connection
 */
record CloseStreamRequest(StreamError error, String text, boolean resumable) {
}
