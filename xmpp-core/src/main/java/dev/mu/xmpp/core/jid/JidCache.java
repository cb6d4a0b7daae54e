package dev.mu.xmpp.core.jid;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A size-capped, thread-safe map from JID strings as received to parsed JIDs.
 *
 * <p>JIDs are values, so one cache can serve every server instance in the JVM. When full, the cache
 * drops an arbitrary quarter of its entries rather than tracking recency: eviction then costs nothing
 * on the hit path, and the addresses that keep recurring are re-admitted on their next use. Invalid
 * strings are never cached, so a peer cannot fill the cache with garbage that fails every time.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>What</th><th>Limit</th></tr>
 *   <tr><td>entries in the shared cache</td><td>{@value #MAX_ENTRIES}</td></tr>
 *   <tr><td>length of a cached key</td><td>{@value #MAX_KEY_CHARS} chars</td></tr>
 * </table>
 */
final class JidCache {

    /** Upper bound on the entries of the shared cache, give or take concurrent insertions. */
    static final int MAX_ENTRIES = Jid.CACHE_MAX_ENTRIES;

    /** Longer strings are parsed but not cached, so the cache's memory stays bounded too. */
    static final int MAX_KEY_CHARS = 256;

    static final JidCache SHARED = new JidCache(MAX_ENTRIES);

    private final int maxEntries;
    private final ConcurrentHashMap<String, Jid> map;

    JidCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.map = new ConcurrentHashMap<>(Math.min(maxEntries, 1024));
    }

    Jid get(String jid) {
        if (jid == null) {
            return JidParts.parse(null);
        }
        Jid cached = map.get(jid);
        if (cached != null) {
            return cached;
        }
        Jid parsed = JidParts.parse(jid);
        if (jid.length() <= MAX_KEY_CHARS) {
            if (map.size() >= maxEntries) {
                evict();
            }
            map.put(jid, parsed);
        }
        return parsed;
    }

    int size() {
        return map.size();
    }

    private void evict() {
        int toDrop = Math.max(1, maxEntries / 4);
        Iterator<String> it = map.keySet().iterator();
        while (toDrop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
