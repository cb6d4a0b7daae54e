package dev.mu.xmpp.sasl;

/** Ends an exchange from deep inside a parser with a failure condition; never leaves the package. */
final class SaslRejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final SaslFailure condition;

    SaslRejection(SaslFailure condition, String text) {
        // No stack trace: rejections are protocol values, and malformed input is common.
        super(text, null, false, false);
        this.condition = condition;
    }

    SaslStep.Failure toStep() {
        return new SaslStep.Failure(condition, getMessage());
    }
}
