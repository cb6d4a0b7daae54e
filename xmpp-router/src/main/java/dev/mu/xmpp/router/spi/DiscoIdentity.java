package dev.mu.xmpp.router.spi;

import java.util.Objects;

/**
 * An XEP-0030 identity of the server, such as {@code server/im}.
 *
 * @param category the identity category
 * @param type     the identity type within the category
 * @param name     the human-readable name, or {@code null}
 * @see <a href="https://xmpp.org/extensions/xep-0030.html#info-basic">XEP-0030 §3.1</a>
 */
public record DiscoIdentity(String category, String type, String name) {
    /** Creates an identity; category and type are required. */
    public DiscoIdentity {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(type, "type");
    }
}
