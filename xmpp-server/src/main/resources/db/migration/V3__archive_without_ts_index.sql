-- Every archived message is written twice (the sender's and the recipient's copy) and each row
-- updates every index of the table: profiling the bundled server under load put more than half of
-- its CPU time in archive inserts. The timestamp index served only the retention purge, which runs
-- at most hourly and only when a retention period is configured; it now scans the table instead.
-- Queries with a start or end keep using the owner's index and filter its rows by time.
DROP INDEX archive_ts;
