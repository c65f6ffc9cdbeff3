-- Feltlogg sync server, schema 2: compact fact tables for exports.
--
-- Why: the typed columns of `encounters` and `referrals` are VIRTUAL
-- columns over JSON, and each row also carries a per-field clock map, so a
-- row is about 1.5 KB and every read parses JSON. A year's export over a
-- million encounters must finish in under a second; scanning that table
-- cannot. These tables hold only what exports group on, as plain columns,
-- and triggers keep them equal to the merged records in the same
-- transaction as every merge (the merge code is untouched: it writes
-- `encounters`/`referrals`, the triggers follow).
--
-- Deleted (tombstoned) records have no fact row.

-- Clustered by time: an export reads one contiguous range of the B-tree.
CREATE TABLE encounter_facts (
    at_ms         INTEGER NOT NULL,
    id            TEXT    NOT NULL,
    shift_id      TEXT    NOT NULL,
    bydel         TEXT,
    youth_count   INTEGER,
    age_group     TEXT,
    gender        TEXT,
    contact_kind  TEXT,
    residence     TEXT,
    place_type    TEXT,
    -- Wire names joined with ',' (wire names never contain a comma).
    topics        TEXT,
    actions       TEXT,
    PRIMARY KEY (at_ms, id)
) WITHOUT ROWID;

CREATE TRIGGER encounter_facts_insert AFTER INSERT ON encounters
WHEN NEW.deleted = 0 AND NEW.at_ms IS NOT NULL AND NEW.shift_id IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO encounter_facts
        (at_ms, id, shift_id, bydel, youth_count, age_group, gender, contact_kind,
         residence, place_type, topics, actions)
    VALUES (NEW.at_ms, NEW.id, NEW.shift_id, NEW.bydel, NEW.youth_count, NEW.age_group,
            NEW.gender, NEW.contact_kind, NEW.residence, NEW.place_type,
            (SELECT group_concat(value, ',') FROM json_each(NEW.fields, '$.topics')),
            (SELECT group_concat(value, ',') FROM json_each(NEW.fields, '$.actions')));
END;

-- The old fact row is found by the old time: the fact row always mirrors
-- the record as it was.
CREATE TRIGGER encounter_facts_update AFTER UPDATE OF fields ON encounters
BEGIN
    DELETE FROM encounter_facts WHERE at_ms IS OLD.at_ms AND id = OLD.id;
    INSERT OR REPLACE INTO encounter_facts
        (at_ms, id, shift_id, bydel, youth_count, age_group, gender, contact_kind,
         residence, place_type, topics, actions)
    SELECT NEW.at_ms, NEW.id, NEW.shift_id, NEW.bydel, NEW.youth_count, NEW.age_group,
           NEW.gender, NEW.contact_kind, NEW.residence, NEW.place_type,
           (SELECT group_concat(value, ',') FROM json_each(NEW.fields, '$.topics')),
           (SELECT group_concat(value, ',') FROM json_each(NEW.fields, '$.actions'))
    WHERE NEW.deleted = 0 AND NEW.at_ms IS NOT NULL AND NEW.shift_id IS NOT NULL;
END;

CREATE TRIGGER encounter_facts_delete AFTER DELETE ON encounters
BEGIN
    DELETE FROM encounter_facts WHERE at_ms IS OLD.at_ms AND id = OLD.id;
END;

CREATE TABLE referral_facts (
    id            TEXT PRIMARY KEY,
    shift_id      TEXT NOT NULL,
    encounter_id  TEXT NOT NULL,
    service       TEXT,
    status        TEXT
) WITHOUT ROWID;
CREATE INDEX referral_facts_shift ON referral_facts(shift_id);

CREATE TRIGGER referral_facts_insert AFTER INSERT ON referrals
WHEN NEW.deleted = 0 AND NEW.shift_id IS NOT NULL AND NEW.encounter_id IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO referral_facts (id, shift_id, encounter_id, service, status)
    VALUES (NEW.id, NEW.shift_id, NEW.encounter_id, NEW.service, NEW.status);
END;

CREATE TRIGGER referral_facts_update AFTER UPDATE OF fields ON referrals
BEGIN
    DELETE FROM referral_facts WHERE id = OLD.id;
    INSERT OR REPLACE INTO referral_facts (id, shift_id, encounter_id, service, status)
    SELECT NEW.id, NEW.shift_id, NEW.encounter_id, NEW.service, NEW.status
    WHERE NEW.deleted = 0 AND NEW.shift_id IS NOT NULL AND NEW.encounter_id IS NOT NULL;
END;

CREATE TRIGGER referral_facts_delete AFTER DELETE ON referrals
BEGIN
    DELETE FROM referral_facts WHERE id = OLD.id;
END;

-- Approved shifts of a period are found through this index, not by
-- parsing every shift's JSON.
CREATE INDEX shifts_status_started ON shifts(status, started_ms);

-- Databases made before this migration: fill the facts from what is there.
INSERT OR REPLACE INTO encounter_facts
    (at_ms, id, shift_id, bydel, youth_count, age_group, gender, contact_kind,
     residence, place_type, topics, actions)
SELECT at_ms, id, shift_id, bydel, youth_count, age_group, gender, contact_kind,
       residence, place_type,
       (SELECT group_concat(value, ',') FROM json_each(e.fields, '$.topics')),
       (SELECT group_concat(value, ',') FROM json_each(e.fields, '$.actions'))
FROM encounters e
WHERE deleted = 0 AND at_ms IS NOT NULL AND shift_id IS NOT NULL;

INSERT OR REPLACE INTO referral_facts (id, shift_id, encounter_id, service, status)
SELECT id, shift_id, encounter_id, service, status FROM referrals
WHERE deleted = 0 AND shift_id IS NOT NULL AND encounter_id IS NOT NULL;
