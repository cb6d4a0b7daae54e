-- XEP-0313 / XEP-0359: archive ids are now handed out by the server before a message is written
-- (dev.mu.xmpp.router.spi.ArchiveIds: epoch milliseconds shifted left 16 bits plus a counter), so the
-- delivered copy can carry its stanza-id while the archive write is batched. The ids stay in the
-- primary key, which the indexes on (owner, id) and (owner, with_jid, id) already order by; rows
-- written before keep their smaller row numbers and so sort first. The column no longer generates
-- values: nothing may insert an id the server did not hand out.
ALTER TABLE archive ALTER COLUMN id DROP IDENTITY;
