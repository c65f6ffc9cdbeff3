-- A unit's own words and "Dette er ikke en person" (issue 15).
--
-- unit_words: words and phrases that are never a person's name in a unit
-- (the local youth club, a shop, a street nickname, a service the screen
-- takes for a name). A team lead keeps their units' lists; an admin keeps
-- the municipality-wide list (unit_id NULL), which every unit reads too.
-- They lift only a name finding: numbers, e-mail, handles and addresses
-- stay refused whatever a list holds (core's screen decides that).
CREATE TABLE unit_words (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id   TEXT REFERENCES units(id),
    word      TEXT NOT NULL,
    -- The word lower-cased: a list holds each word once, however written.
    folded    TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    added_ms  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX unit_words_once ON unit_words(coalesce(unit_id, ''), folded);

-- Whether the unit's workers may confirm a name finding as "not a person"
-- (on by default). Off, a confirmation lifts nothing, on the phone and here.
ALTER TABLE units ADD COLUMN not_a_person INTEGER NOT NULL DEFAULT 1
    CHECK (not_a_person = 0 OR not_a_person = 1);
