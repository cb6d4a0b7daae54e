package dev.mu.xmpp.router.spi;

/**
 * The {@code subscription} attribute of a roster item.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6121#section-2.1.2.5">RFC 6121 §2.1.2.5</a>
 */
public enum Subscription {
    /** Neither side receives the other's presence. */
    NONE,
    /** The user receives the contact's presence. */
    TO,
    /** The contact receives the user's presence. */
    FROM,
    /** Both receive each other's presence. */
    BOTH;

    /** The attribute value. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the user receives the contact's presence ({@code to} or {@code both}). */
    public boolean hasTo() {
        return this == TO || this == BOTH;
    }

    /** Whether the contact receives the user's presence ({@code from} or {@code both}). */
    public boolean hasFrom() {
        return this == FROM || this == BOTH;
    }

    /** This state with the {@code to} half added or removed. */
    public Subscription withTo(boolean to) {
        return of(to, hasFrom());
    }

    /** This state with the {@code from} half added or removed. */
    public Subscription withFrom(boolean from) {
        return of(hasTo(), from);
    }

    private static Subscription of(boolean to, boolean from) {
        return to ? (from ? BOTH : TO) : (from ? FROM : NONE);
    }
}
