package dev.mu.xmpp.router.spi;

import java.util.List;

/**
 * One page of an archive query, oldest first.
 *
 * @param messages the messages of the page
 * @param complete whether the page reaches the end of the result in the direction of paging, so that
 *                 the page size did not limit it (XEP-0313 {@code complete='true'})
 * @param count    how many messages match the query's filters altogether
 * @param index    the position of the page's first message in the whole result
 */
public record ArchivePage(List<ArchivedMessage> messages, boolean complete, int count, int index) {
    /** Creates a page; the list is copied. */
    public ArchivePage {
        messages = List.copyOf(messages);
    }
}
