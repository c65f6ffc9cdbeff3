-- The unit's own words and "Dette er ikke en person" (issue 15).
--
-- unit_words: what the server sent with the last pull that carried them:
-- the unit's and the municipality's words (that the screen never takes
-- for a person's name here) and whether workers may confirm a name
-- finding as "not a person". One row, replaced whole; until the first
-- such pull there is none, and the screen runs with no words and
-- confirmations on (the server checks again either way).
CREATE TABLE unit_words (
    singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
    words          TEXT NOT NULL,   -- JSON array of the words
    not_a_person   INTEGER NOT NULL CHECK (not_a_person = 0 OR not_a_person = 1)
) STRICT;

-- The spans of a record's free text that a worker confirmed are not a
-- person: JSON [{field, start, end}], as the record's `not_a_person`.
ALTER TABLE shift ADD COLUMN not_a_person TEXT NOT NULL DEFAULT '[]';
ALTER TABLE encounter ADD COLUMN not_a_person TEXT NOT NULL DEFAULT '[]';
ALTER TABLE referral ADD COLUMN not_a_person TEXT NOT NULL DEFAULT '[]';
