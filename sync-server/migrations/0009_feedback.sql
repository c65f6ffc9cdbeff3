-- Feltlogg sync server, schema 9: the youths' anonymous feedback (issue 17).
--
-- Nothing here points at a person, a phone, a shift, an encounter or a
-- worker. A card's code is stored only as its SHA-256, with the unit it
-- is for and when it stops working: no print batch, no printer (the audit
-- log says who printed how many), no time of printing. Answering deletes
-- the code's row in the transaction that stores the answer, so no row
-- is left that could tie an answer to a card or a batch.

CREATE TABLE feedback_codes (
    code_hash   BLOB PRIMARY KEY CHECK (length(code_hash) = 32),
    unit_id     TEXT NOT NULL REFERENCES units(id),
    expires_ms  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX feedback_codes_unit ON feedback_codes(unit_id, expires_ms);

-- One answer: its unit and the Oslo date it came, never a time of day
-- (so answers of one day cannot be ordered against cards handed out),
-- no address, no browser. Each grade is 1-5 or NULL (skipped); the age
-- group is one of the app's groups or NULL (not given); the free text
-- has passed the anonymity screen.
CREATE TABLE feedback_answers (
    id             INTEGER PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES units(id),
    day            TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    age_group      TEXT CHECK (age_group IN ('under_13', '13_15', '16_18', '19_23', 'over_23')),
    easy_to_reach  INTEGER CHECK (easy_to_reach BETWEEN 1 AND 5),
    listened       INTEGER CHECK (listened BETWEEN 1 AND 5),
    helped         INTEGER CHECK (helped BETWEEN 1 AND 5),
    trust          INTEGER CHECK (trust BETWEEN 1 AND 5),
    overall        INTEGER CHECK (overall BETWEEN 1 AND 5),
    free_text      TEXT CHECK (free_text IS NULL OR length(free_text) BETWEEN 1 AND 500)
) STRICT;
CREATE INDEX feedback_answers_unit_day ON feedback_answers(unit_id, day);
