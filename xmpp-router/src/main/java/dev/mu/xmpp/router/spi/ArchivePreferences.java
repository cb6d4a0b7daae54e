package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * XEP-0313 §6 archiving preferences.
 *
 * @param defaultMode what to archive for JIDs in neither list
 * @param always      JIDs whose messages are always archived
 * @param never       JIDs whose messages are never archived
 */
public record ArchivePreferences(Mode defaultMode, Set<BareJid> always, Set<BareJid> never) {

    /** The server's default: archive everything. */
    public static final ArchivePreferences DEFAULT = new ArchivePreferences(Mode.ALWAYS, Set.of(), Set.of());

    /** The {@code default} attribute values. */
    public enum Mode {
        /** Archive every message. */
        ALWAYS,
        /** Archive no message. */
        NEVER,
        /** Archive messages with contacts in the user's roster. */
        ROSTER;

        /** The attribute value. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Creates preferences; the sets are copied. */
    public ArchivePreferences {
        Objects.requireNonNull(defaultMode, "defaultMode");
        always = Set.copyOf(always);
        never = Set.copyOf(never);
    }
}
