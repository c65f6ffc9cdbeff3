-- Feltlogg device store, first schema. A shipped migration is never edited:
-- change the schema with a new numbered file.
--
-- Record tables have no foreign keys between them on purpose: pulled changes
-- merge field by field in any order (a member may arrive before its shift),
-- and the merge must not depend on delivery order. Local operations check
-- their references in code before writing.
--
-- `clocks` holds the per-field HLC stamps as JSON ({"base": hlc, "fields":
-- {name: hlc}}), so pulled changes merge by field-level last-writer-wins.
-- `deleted` is the `_deleted` tombstone field.

CREATE TABLE device (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id  TEXT NOT NULL,
    unit_id    TEXT NOT NULL,
    last_hlc   TEXT NOT NULL
) STRICT;

CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE directory (
    worker_id     TEXT PRIMARY KEY,
    unit_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    pin_verifier  TEXT NOT NULL,
    active        INTEGER NOT NULL
) STRICT;

CREATE TABLE pin_attempts (
    worker_id        TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE shift (
    id          TEXT PRIMARY KEY,
    unit_id     TEXT NOT NULL,
    bydel       TEXT NOT NULL,
    area_note   TEXT NOT NULL,
    started_ms  INTEGER NOT NULL,
    closed_ms   INTEGER,
    status      TEXT NOT NULL,
    reflection  TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0,
    clocks      TEXT NOT NULL
) STRICT;
CREATE INDEX shift_started ON shift (started_ms);
CREATE INDEX shift_status ON shift (status);

CREATE TABLE shift_member (
    id              TEXT PRIMARY KEY,
    shift_id        TEXT NOT NULL,
    worker_id       TEXT NOT NULL,
    checked_in_ms   INTEGER NOT NULL,
    checked_out_ms  INTEGER,
    deleted         INTEGER NOT NULL DEFAULT 0,
    clocks          TEXT NOT NULL
) STRICT;
CREATE INDEX shift_member_shift ON shift_member (shift_id);
CREATE INDEX shift_member_worker ON shift_member (worker_id);

CREATE TABLE encounter (
    id            TEXT PRIMARY KEY,
    shift_id      TEXT NOT NULL,
    at_ms         INTEGER NOT NULL,
    bydel         TEXT NOT NULL,
    place_type    TEXT NOT NULL,
    youth_count   INTEGER NOT NULL,
    age_group     TEXT NOT NULL,
    gender        TEXT NOT NULL,
    contact_kind  TEXT NOT NULL,
    topics        TEXT NOT NULL,
    actions       TEXT NOT NULL,
    residence     TEXT NOT NULL,
    note          TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0,
    clocks        TEXT NOT NULL
) STRICT;
CREATE INDEX encounter_shift ON encounter (shift_id, at_ms);

CREATE TABLE referral (
    id            TEXT PRIMARY KEY,
    encounter_id  TEXT NOT NULL,
    shift_id      TEXT NOT NULL,
    service       TEXT NOT NULL,
    status        TEXT NOT NULL,
    note          TEXT,
    deleted       INTEGER NOT NULL DEFAULT 0,
    clocks        TEXT NOT NULL
) STRICT;
CREATE INDEX referral_encounter ON referral (encounter_id);

-- The sync client's small state (the pull cursor), by key.
CREATE TABLE sync_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

-- Pulled records that do not yet have every field (a status change for a
-- shift whose creation has not arrived): kept as merged state until whole.
CREATE TABLE partial_record (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    state_json  TEXT NOT NULL
) STRICT;

-- Local changes waiting to be pushed, in order. Rows go only after the
-- server has acknowledged them.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    change_json  TEXT NOT NULL
) STRICT;
