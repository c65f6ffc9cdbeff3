-- The pull log points at records instead of copying changes (#12).
--
-- A 'change' entry held the change as JSON: a second copy of every field
-- it won, written on every merge and kept for ever. So a note redacted on
-- its record (issue #9's scan) still went out unredacted to any phone
-- pulling from before the redaction: a new phone, or every phone after a
-- restore. An entry now names its record (kind and id) and a pull sends
-- the record as it is then, one change per stamp: merging that gives what
-- merging the logged changes gave (the merge is last-writer-wins per
-- field; core's property tests show it).
--
-- The table is rebuilt (SQLite cannot drop a constraint) so that its
-- checks are OR chains, not IN lists: SQLite checks `x IN (…)` by building
-- a temporary b-tree on every insert, which cost more than the insert.
CREATE TABLE changelog_new (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        TEXT NOT NULL,
    -- 'change' (kind and record_id name the record), 'decision' (ref =
    -- decisions.id), 'refusal' (ref = refusals.id), 'directory' (the
    -- unit's worker directory changed).
    entry          TEXT NOT NULL CHECK (entry = 'change' OR entry = 'decision'
                                        OR entry = 'refusal' OR entry = 'directory'),
    kind           TEXT CHECK (kind = 'shift' OR kind = 'shift_member'
                               OR kind = 'encounter' OR kind = 'referral'),
    record_id      TEXT,
    origin_device  TEXT,
    ref            INTEGER,
    -- 1 when the change's stamp was clamped: its own device then needs it
    -- back on pull, or the two would disagree on the stamp.
    clamped        INTEGER NOT NULL DEFAULT 0,
    created_ms     INTEGER NOT NULL
) STRICT;
INSERT INTO changelog_new
    (seq, unit_id, entry, kind, record_id, origin_device, ref, clamped, created_ms)
SELECT seq, unit_id, entry,
       CASE WHEN entry = 'change' THEN json_extract(change, '$.kind') END,
       record_id, origin_device, ref, clamped, created_ms
  FROM changelog;
-- Seqs are pull cursors: the next one continues where the old table's did.
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'changelog')
 WHERE name = 'changelog_new';
DROP TABLE changelog;
ALTER TABLE changelog_new RENAME TO changelog;
CREATE INDEX changelog_unit_seq ON changelog(unit_id, seq);
