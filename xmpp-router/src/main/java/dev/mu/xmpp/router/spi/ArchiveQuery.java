package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import java.time.Instant;
import java.util.List;

/**
 * A query of one user's archive: the XEP-0313 filters and the XEP-0059 page.
 *
 * @param with     only messages exchanged with this JID, or {@code null}
 * @param start    only messages at or after this instant, or {@code null}
 * @param end      only messages at or before this instant, or {@code null}
 * @param afterId  only messages after this archive id, or {@code null}
 * @param beforeId only messages before this archive id, or {@code null}
 * @param ids      only these archive ids (XEP-0313 §4.1.5), or {@code null} for no such filter
 * @param max      the page size
 * @param last     whether the page is taken from the end of the result (RSM {@code <before/>}),
 *                 rather than from its start
 */
public record ArchiveQuery(BareJid with, Instant start, Instant end, String afterId, String beforeId,
                           List<String> ids, int max, boolean last) {
    /** Creates a query; the id list is copied. */
    public ArchiveQuery {
        ids = ids == null ? null : List.copyOf(ids);
        if (max < 0) {
            throw new IllegalArgumentException("max < 0");
        }
    }
}
