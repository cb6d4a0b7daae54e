package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import java.time.Instant;
import java.util.Optional;

/**
 * Each user's message archive (XEP-0313) and archiving preferences.
 *
 * <p><b>Consistency and durability.</b> {@link #append} assigns the archive id at once, so the
 * caller can stamp the XEP-0359 stanza-id on the copy it delivers, but a store may commit the
 * message later, in batches, off the caller's thread: archiving is written twice per chat message
 * and must not hold up delivery. Whatever the store does, a message appended before a
 * {@link #query}, {@link #purgeBefore} or {@link #deleteUser} starts is seen by it, and
 * {@link StorageProvider#close()} persists every appended message before it returns. What an
 * asynchronous store may lose is the last few milliseconds of appends when the process is killed;
 * the JDBC store commits them within a few milliseconds. Every other write (preferences, purges,
 * deletions) is durable when the method returns. Offline storage ({@link OfflineStore}) does not
 * make this trade: a message kept for an offline user is committed before it is acknowledged.
 *
 * <p>Implementations are thread-safe.
 */
public interface ArchiveStore {

    /**
     * Adds a message to the owner's archive, with an id greater than that of every message the
     * owner's archive already holds (archive order is id order).
     *
     * @return the archived message with its new id; the message may not be durable yet
     */
    ArchivedMessage append(BareJid owner, BareJid with, XmlElement message, Instant timestamp);

    /**
     * Runs a query over the owner's archive.
     *
     * @throws java.util.NoSuchElementException when the query's {@code afterId}, {@code beforeId} or one
     *                                          of its {@code ids} is not in the owner's archive
     *                                          (XEP-0313 answers {@code item-not-found})
     */
    ArchivePage query(BareJid owner, ArchiveQuery query);

    /** The owner's archiving preferences, if they were ever set. */
    Optional<ArchivePreferences> preferences(BareJid owner);

    /** Replaces the owner's archiving preferences. */
    void preferences(BareJid owner, ArchivePreferences preferences);

    /** Removes every message archived before the cutoff; returns how many. */
    int purgeBefore(Instant cutoff);

    /** Removes the owner's archive and preferences, when the account is deleted. */
    void deleteUser(BareJid owner);
}
