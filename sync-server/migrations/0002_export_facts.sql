-- Feltlogg sync server, schema 2: compact fact tables for exports.
--
-- Why: the typed columns of the record tables are VIRTUAL columns over
-- JSON, and each row also carries a per-field clock map, so an encounter
-- row is about 1.5 KB and every read parses JSON. A year's export over a
-- million encounters must finish in under a second; measured on such a
-- database, one GROUP BY over the JSON columns alone takes 2 s. These
-- tables hold only what exports count, as plain columns (ids as 16-byte
-- blobs), and triggers keep them equal to the merged records in the same
-- transaction as every merge: the merge code is untouched, it writes the
-- record tables and the triggers follow.
--
-- Deleted (tombstoned) records and rows whose ids do not parse have no
-- fact row; the triggers never raise, so they can never fail a merge.

-- Clustered by (status, start): an export reads one range of approved shifts.
CREATE TABLE shift_facts (
    status      TEXT    NOT NULL,
    started_ms  INTEGER NOT NULL,
    id          BLOB    NOT NULL,
    unit_id     BLOB    NOT NULL,
    bydel       TEXT,
    closed_ms   INTEGER,
    PRIMARY KEY (status, started_ms, id)
) WITHOUT ROWID;

-- The old fact row is found by the old values: it always mirrors the
-- record as it was.
CREATE TRIGGER shift_facts_insert AFTER INSERT ON shifts
BEGIN
    INSERT OR REPLACE INTO shift_facts (status, started_ms, id, unit_id, bydel, closed_ms)
    SELECT NEW.status, NEW.started_ms, unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.unit_id, '-', '')), NEW.bydel, NEW.closed_ms
    WHERE NEW.deleted = 0 AND NEW.status IS NOT NULL AND NEW.started_ms IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL AND unhex(replace(NEW.unit_id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER shift_facts_update AFTER UPDATE OF fields ON shifts
BEGIN
    DELETE FROM shift_facts WHERE status IS OLD.status AND started_ms IS OLD.started_ms AND id = unhex(replace(OLD.id, '-', ''));
    INSERT OR REPLACE INTO shift_facts (status, started_ms, id, unit_id, bydel, closed_ms)
    SELECT NEW.status, NEW.started_ms, unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.unit_id, '-', '')), NEW.bydel, NEW.closed_ms
    WHERE NEW.deleted = 0 AND NEW.status IS NOT NULL AND NEW.started_ms IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL AND unhex(replace(NEW.unit_id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER shift_facts_delete AFTER DELETE ON shifts
BEGIN
    DELETE FROM shift_facts WHERE status IS OLD.status AND started_ms IS OLD.started_ms AND id = unhex(replace(OLD.id, '-', ''));
END;

CREATE TABLE member_facts (
    shift_id        BLOB NOT NULL,
    id              BLOB NOT NULL,
    worker_id       BLOB,
    checked_in_ms   INTEGER,
    checked_out_ms  INTEGER,
    PRIMARY KEY (shift_id, id)
) WITHOUT ROWID;

CREATE TRIGGER member_facts_insert AFTER INSERT ON shift_members
BEGIN
    INSERT OR REPLACE INTO member_facts (shift_id, id, worker_id, checked_in_ms, checked_out_ms)
    SELECT unhex(replace(NEW.shift_id, '-', '')), unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.worker_id, '-', '')), NEW.checked_in_ms, NEW.checked_out_ms
    WHERE NEW.deleted = 0 AND unhex(replace(NEW.shift_id, '-', '')) IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER member_facts_update AFTER UPDATE OF fields ON shift_members
BEGIN
    DELETE FROM member_facts WHERE shift_id IS unhex(replace(OLD.shift_id, '-', '')) AND id = unhex(replace(OLD.id, '-', ''));
    INSERT OR REPLACE INTO member_facts (shift_id, id, worker_id, checked_in_ms, checked_out_ms)
    SELECT unhex(replace(NEW.shift_id, '-', '')), unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.worker_id, '-', '')), NEW.checked_in_ms, NEW.checked_out_ms
    WHERE NEW.deleted = 0 AND unhex(replace(NEW.shift_id, '-', '')) IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER member_facts_delete AFTER DELETE ON shift_members
BEGIN
    DELETE FROM member_facts WHERE shift_id IS unhex(replace(OLD.shift_id, '-', '')) AND id = unhex(replace(OLD.id, '-', ''));
END;

-- Small integer codes for the vocabularies exports count, so a fact row
-- packs them into one integer. A code never changes once given (0 means
-- "not recognised"); the server adds codes for new wire names when it
-- opens the database (db::vocab_codes::seed), so this list is only the
-- start. Wire names are stable by contract (core/src/vocab.rs).
CREATE TABLE vocab_codes (
    vocab  TEXT    NOT NULL,
    wire   TEXT    NOT NULL,
    code   INTEGER NOT NULL,
    PRIMARY KEY (vocab, wire),
    UNIQUE (vocab, code)
) STRICT, WITHOUT ROWID;
INSERT INTO vocab_codes (vocab, wire, code) VALUES
    ('age_group', 'under_13', 1),
    ('age_group', '13_15', 2),
    ('age_group', '16_18', 3),
    ('age_group', '19_23', 4),
    ('age_group', 'over_23', 5),
    ('age_group', 'unknown', 6),
    ('gender', 'girl', 1),
    ('gender', 'boy', 2),
    ('gender', 'other', 3),
    ('gender', 'unknown', 4),
    ('contact_kind', 'new', 1),
    ('contact_kind', 'known', 2),
    ('residence', 'this_bydel', 1),
    ('residence', 'other_bydel', 2),
    ('residence', 'other_municipality', 3),
    ('residence', 'unknown', 4),
    ('topic', 'drugs_alcohol', 1),
    ('topic', 'violence', 2),
    ('topic', 'crime', 3),
    ('topic', 'school', 4),
    ('topic', 'work_nav', 5),
    ('topic', 'housing', 6),
    ('topic', 'family', 7),
    ('topic', 'mental_health', 8),
    ('topic', 'physical_health', 9),
    ('topic', 'sexuality', 10),
    ('topic', 'money', 11),
    ('topic', 'leisure', 12),
    ('topic', 'online_life', 13),
    ('topic', 'other', 14),
    ('action', 'conversation', 1),
    ('action', 'information', 2),
    ('action', 'practical_help', 3),
    ('action', 'follow_up_agreed', 4),
    ('action', 'referral', 5),
    ('action', 'acute_help', 6);

-- Clustered by time: an export reads one contiguous range. `packed` holds,
-- from bit 0: age group code (4 bits), gender (4), contact kind (4),
-- residence (4), youth count (8, capped at 255), a bit per topic code
-- (bits 24-47) and per action code (bits 48-62): one integer column is
-- far cheaper to read a million times than eight text columns.
CREATE TABLE encounter_facts (
    at_ms     INTEGER NOT NULL,
    id        BLOB    NOT NULL,
    shift_id  BLOB    NOT NULL,
    bydel     TEXT,
    packed    INTEGER NOT NULL,
    PRIMARY KEY (at_ms, id)
) WITHOUT ROWID;

CREATE TRIGGER encounter_facts_insert AFTER INSERT ON encounters
BEGIN
    INSERT OR REPLACE INTO encounter_facts (at_ms, id, shift_id, bydel, packed)
    SELECT NEW.at_ms, unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.shift_id, '-', '')), NEW.bydel, (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'age_group' AND wire = NEW.age_group), 0)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'gender' AND wire = NEW.gender), 0) << 4)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'contact_kind' AND wire = NEW.contact_kind), 0) << 8)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'residence' AND wire = NEW.residence), 0) << 12)
        | (min(max(coalesce(NEW.youth_count, 0), 0), 255) << 16)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(NEW.fields, '$.topics') j JOIN vocab_codes c ON c.vocab = 'topic' AND c.wire = j.value), 0) << 24)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(NEW.fields, '$.actions') j JOIN vocab_codes c ON c.vocab = 'action' AND c.wire = j.value), 0) << 48))
    WHERE NEW.deleted = 0 AND NEW.at_ms IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL AND unhex(replace(NEW.shift_id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER encounter_facts_update AFTER UPDATE OF fields ON encounters
BEGIN
    DELETE FROM encounter_facts WHERE at_ms IS OLD.at_ms AND id = unhex(replace(OLD.id, '-', ''));
    INSERT OR REPLACE INTO encounter_facts (at_ms, id, shift_id, bydel, packed)
    SELECT NEW.at_ms, unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.shift_id, '-', '')), NEW.bydel, (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'age_group' AND wire = NEW.age_group), 0)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'gender' AND wire = NEW.gender), 0) << 4)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'contact_kind' AND wire = NEW.contact_kind), 0) << 8)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'residence' AND wire = NEW.residence), 0) << 12)
        | (min(max(coalesce(NEW.youth_count, 0), 0), 255) << 16)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(NEW.fields, '$.topics') j JOIN vocab_codes c ON c.vocab = 'topic' AND c.wire = j.value), 0) << 24)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(NEW.fields, '$.actions') j JOIN vocab_codes c ON c.vocab = 'action' AND c.wire = j.value), 0) << 48))
    WHERE NEW.deleted = 0 AND NEW.at_ms IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL AND unhex(replace(NEW.shift_id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER encounter_facts_delete AFTER DELETE ON encounters
BEGIN
    DELETE FROM encounter_facts WHERE at_ms IS OLD.at_ms AND id = unhex(replace(OLD.id, '-', ''));
END;

-- Clustered by shift: an export reads the referrals of its shifts.
CREATE TABLE referral_facts (
    shift_id      BLOB NOT NULL,
    id            BLOB NOT NULL,
    encounter_id  BLOB,
    service       TEXT,
    status        TEXT,
    PRIMARY KEY (shift_id, id)
) WITHOUT ROWID;

CREATE TRIGGER referral_facts_insert AFTER INSERT ON referrals
BEGIN
    INSERT OR REPLACE INTO referral_facts (shift_id, id, encounter_id, service, status)
    SELECT unhex(replace(NEW.shift_id, '-', '')), unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.encounter_id, '-', '')), NEW.service, NEW.status
    WHERE NEW.deleted = 0 AND unhex(replace(NEW.shift_id, '-', '')) IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER referral_facts_update AFTER UPDATE OF fields ON referrals
BEGIN
    DELETE FROM referral_facts WHERE shift_id IS unhex(replace(OLD.shift_id, '-', '')) AND id = unhex(replace(OLD.id, '-', ''));
    INSERT OR REPLACE INTO referral_facts (shift_id, id, encounter_id, service, status)
    SELECT unhex(replace(NEW.shift_id, '-', '')), unhex(replace(NEW.id, '-', '')), unhex(replace(NEW.encounter_id, '-', '')), NEW.service, NEW.status
    WHERE NEW.deleted = 0 AND unhex(replace(NEW.shift_id, '-', '')) IS NOT NULL AND unhex(replace(NEW.id, '-', '')) IS NOT NULL;
END;

CREATE TRIGGER referral_facts_delete AFTER DELETE ON referrals
BEGIN
    DELETE FROM referral_facts WHERE shift_id IS unhex(replace(OLD.shift_id, '-', '')) AND id = unhex(replace(OLD.id, '-', ''));
END;

-- Databases made before this migration: fill the facts from what is there.
INSERT OR REPLACE INTO shift_facts (status, started_ms, id, unit_id, bydel, closed_ms)
SELECT r.status, r.started_ms, unhex(replace(r.id, '-', '')), unhex(replace(r.unit_id, '-', '')), r.bydel, r.closed_ms
FROM shifts r
WHERE r.deleted = 0 AND r.status IS NOT NULL AND r.started_ms IS NOT NULL AND unhex(replace(r.id, '-', '')) IS NOT NULL AND unhex(replace(r.unit_id, '-', '')) IS NOT NULL;

INSERT OR REPLACE INTO member_facts (shift_id, id, worker_id, checked_in_ms, checked_out_ms)
SELECT unhex(replace(r.shift_id, '-', '')), unhex(replace(r.id, '-', '')), unhex(replace(r.worker_id, '-', '')), r.checked_in_ms, r.checked_out_ms
FROM shift_members r
WHERE r.deleted = 0 AND unhex(replace(r.shift_id, '-', '')) IS NOT NULL AND unhex(replace(r.id, '-', '')) IS NOT NULL;

INSERT OR REPLACE INTO encounter_facts (at_ms, id, shift_id, bydel, packed)
SELECT r.at_ms, unhex(replace(r.id, '-', '')), unhex(replace(r.shift_id, '-', '')), r.bydel, (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'age_group' AND wire = r.age_group), 0)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'gender' AND wire = r.gender), 0) << 4)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'contact_kind' AND wire = r.contact_kind), 0) << 8)
        | (coalesce((SELECT code FROM vocab_codes WHERE vocab = 'residence' AND wire = r.residence), 0) << 12)
        | (min(max(coalesce(r.youth_count, 0), 0), 255) << 16)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(r.fields, '$.topics') j JOIN vocab_codes c ON c.vocab = 'topic' AND c.wire = j.value), 0) << 24)
        | (coalesce((SELECT sum(DISTINCT 1 << c.code) FROM json_each(r.fields, '$.actions') j JOIN vocab_codes c ON c.vocab = 'action' AND c.wire = j.value), 0) << 48))
FROM encounters r
WHERE r.deleted = 0 AND r.at_ms IS NOT NULL AND unhex(replace(r.id, '-', '')) IS NOT NULL AND unhex(replace(r.shift_id, '-', '')) IS NOT NULL;

INSERT OR REPLACE INTO referral_facts (shift_id, id, encounter_id, service, status)
SELECT unhex(replace(r.shift_id, '-', '')), unhex(replace(r.id, '-', '')), unhex(replace(r.encounter_id, '-', '')), r.service, r.status
FROM referrals r
WHERE r.deleted = 0 AND unhex(replace(r.shift_id, '-', '')) IS NOT NULL AND unhex(replace(r.id, '-', '')) IS NOT NULL;
