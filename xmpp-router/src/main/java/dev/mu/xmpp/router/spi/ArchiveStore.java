package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.xml.XmlElement;
import java.time.Instant;
import java.util.Optional;

/**
 * Each user's message archive (XEP-0313) and archiving preferences. Thread-safe; writes are durable
 * when the method returns.
 */
public interface ArchiveStore {

    /**
     * Adds a message to the owner's archive.
     *
     * @return the archived message with its new id
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
