package dev.mu.xmpp.sasl;

import java.util.Locale;

/**
 * The SASL failure conditions an XMPP server reports in its {@code <failure/>} element.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6120#section-6.5">RFC 6120 §6.5</a>
 */
public enum SaslFailure {
    /** §6.5.1: the initiating entity aborted the exchange. */
    ABORTED,
    /** §6.5.2: the account exists but is disabled. */
    ACCOUNT_DISABLED,
    /** §6.5.3: the credentials have expired. */
    CREDENTIALS_EXPIRED,
    /** §6.5.4: the mechanism may only be used over a TLS-secured stream. */
    ENCRYPTION_REQUIRED,
    /** §6.5.5: the data could not be decoded (base64 at the XML layer). */
    INCORRECT_ENCODING,
    /** §6.5.6: the authorization identity is not one the authenticated entity may act as. */
    INVALID_AUTHZID,
    /** §6.5.7: the requested mechanism is not supported or not offered. */
    INVALID_MECHANISM,
    /** §6.5.8: the request does not follow the mechanism's syntax. */
    MALFORMED_REQUEST,
    /** §6.5.9: the mechanism is weaker than server policy allows for this entity. */
    MECHANISM_TOO_WEAK,
    /** §6.5.10: the credentials are wrong; also used for unknown users, so as not to reveal them. */
    NOT_AUTHORIZED,
    /** §6.5.11: a temporary server-side error, such as an unreachable credential store. */
    TEMPORARY_AUTH_FAILURE;

    private final String elementName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The local name of the condition element, e.g. {@code not-authorized}. */
    public String elementName() {
        return elementName;
    }
}
