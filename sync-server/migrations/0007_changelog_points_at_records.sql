-- The pull log points at records instead of copying changes (#12).
--
-- A 'change' entry held the change as JSON: a second copy of every field
-- it won, written on every merge (about a seventh of a merge's cost) and
-- kept for ever. So a note redacted on its record (issue #9's scan) still
-- went out unredacted to any phone pulling from before the redaction: a
-- new phone, or every phone after a restore. An entry now names its record
-- (kind and id) and a pull sends the record as it is then, one change per
-- stamp: merging that gives what merging the logged changes gave (the
-- merge is last-writer-wins per field; core's property tests show it).
ALTER TABLE changelog ADD COLUMN kind TEXT
    CHECK (kind IN ('shift', 'shift_member', 'encounter', 'referral'));
UPDATE changelog SET kind = json_extract(change, '$.kind') WHERE entry = 'change';
ALTER TABLE changelog DROP COLUMN change;
