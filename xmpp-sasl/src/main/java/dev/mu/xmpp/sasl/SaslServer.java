package dev.mu.xmpp.sasl;

/**
 * The server side of one SASL authentication exchange.
 *
 * <p>Not thread-safe: one instance serves one exchange on one connection, fed in the order the
 * client's messages arrive.
 */
public interface SaslServer {

    /**
     * Evaluates the next client message and says what to answer.
     *
     * <p>The first call gets the initial response from {@code <auth/>}; an empty array means the
     * client sent none (or sent {@code =}), and a mechanism that needs one answers with an empty
     * challenge (RFC 6120 §6.4.2). Later calls get the decoded {@code <response/>} data. No input
     * makes this method throw: malformed data yields a {@link SaslStep.Failure}, and so does any
     * call after the exchange has succeeded or failed.
     *
     * @param response the decoded response bytes, never {@code null}
     * @return a challenge to send, or the outcome of the exchange
     */
    SaslStep evaluate(byte[] response);

    /**
     * The prepared username the client claimed so far, whether or not it authenticated, for
     * counting failed attempts per account; {@code null} when the exchange has not named one.
     */
    default String authenticationIdentity() {
        return null;
    }
}
