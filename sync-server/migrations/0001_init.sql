-- Feltlogg sync server, schema 1. A shipped migration is never edited:
-- add 0002_*.sql instead.
--
-- Ids are UUIDv7 text (time-ordered, so B-trees stay append-mostly).
-- Times are Unix milliseconds (UTC).

-- The server's own Ed25519 key, which signs decisions and pull pages.
-- One row. Kept in the database for now; a key file or KMS is a later step.
CREATE TABLE server_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    pkcs8       BLOB NOT NULL,
    public_key  BLOB NOT NULL,
    created_ms  INTEGER NOT NULL
) STRICT;

-- Areas (bydeler) as data: seeded with Oslo's SSB codes on first open.
CREATE TABLE areas (
    code  TEXT PRIMARY KEY,
    name  TEXT NOT NULL
) STRICT;

CREATE TABLE units (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    bydel       TEXT NOT NULL REFERENCES areas(code),
    created_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('worker', 'team_lead', 'admin')),
    -- Argon2id PHC strings; never the secrets themselves.
    password_hash  TEXT,
    pin_hash       TEXT,
    active         INTEGER NOT NULL DEFAULT 1,
    created_ms     INTEGER NOT NULL
) STRICT;

CREATE TABLE user_units (
    user_id  TEXT NOT NULL REFERENCES users(id),
    unit_id  TEXT NOT NULL REFERENCES units(id),
    PRIMARY KEY (user_id, unit_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_units_unit ON user_units(unit_id);

-- One-time enrolment codes, stored only as SHA-256 (they are random,
-- high-entropy and short-lived, so a fast hash is enough).
CREATE TABLE enrol_codes (
    code_hash   BLOB PRIMARY KEY,
    unit_id     TEXT NOT NULL REFERENCES units(id),
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL,
    used_ms     INTEGER,
    device_id   TEXT
) STRICT;

CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    unit_id      TEXT NOT NULL REFERENCES units(id),
    name         TEXT NOT NULL,
    -- The device's Ed25519 public key: verifies every pushed envelope.
    public_key   BLOB NOT NULL,
    -- The symmetric device key (32 bytes) and its id. The server must hold
    -- it to open pushes and seal pulls.
    device_key   BLOB NOT NULL,
    key_id       INTEGER NOT NULL,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash   BLOB NOT NULL UNIQUE,
    -- Highest batch seq applied; 0 before the first.
    high_water   INTEGER NOT NULL DEFAULT 0,
    enrolled_ms  INTEGER NOT NULL,
    revoked_ms   INTEGER
) STRICT;

-- The journal: every applied batch, sealed as received, with its ack, so a
-- repeated seq gets the very same ack back.
CREATE TABLE batches (
    device_id    TEXT NOT NULL REFERENCES devices(id),
    seq          INTEGER NOT NULL,
    envelope     BLOB NOT NULL,
    ack          TEXT NOT NULL,
    received_ms  INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT;

-- Merged records, one table per kind. `fields` holds the current value of
-- every field (JSON object), `clocks` the HLC stamp that wrote each one; the
-- merge reads and writes those two. The typed columns are generated from
-- `fields` so exports can filter and group on them without parsing JSON.
-- These four are not STRICT on purpose: a device may send a value of the
-- wrong type, and a STRICT generated column would then fail the whole batch
-- instead of letting validation refuse that one change.
CREATE TABLE shifts (
    id             TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES units(id),
    fields         TEXT NOT NULL,
    clocks         TEXT NOT NULL,
    origin_device  TEXT,
    updated_ms     INTEGER NOT NULL,
    bydel       TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.bydel')) VIRTUAL,
    started_ms  INTEGER GENERATED ALWAYS AS (json_extract(fields, '$.started_ms')) VIRTUAL,
    closed_ms   INTEGER GENERATED ALWAYS AS (json_extract(fields, '$.closed_ms')) VIRTUAL,
    status      TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.status')) VIRTUAL,
    deleted     INTEGER GENERATED ALWAYS AS (coalesce(json_extract(fields, '$._deleted'), 0)) VIRTUAL
);
CREATE INDEX shifts_unit_status ON shifts(unit_id, status);

CREATE TABLE shift_members (
    id             TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES units(id),
    fields         TEXT NOT NULL,
    clocks         TEXT NOT NULL,
    origin_device  TEXT,
    updated_ms     INTEGER NOT NULL,
    shift_id        TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.shift_id')) VIRTUAL,
    worker_id       TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.worker_id')) VIRTUAL,
    checked_in_ms   INTEGER GENERATED ALWAYS AS (json_extract(fields, '$.checked_in_ms')) VIRTUAL,
    checked_out_ms  INTEGER GENERATED ALWAYS AS (json_extract(fields, '$.checked_out_ms')) VIRTUAL,
    deleted         INTEGER GENERATED ALWAYS AS (coalesce(json_extract(fields, '$._deleted'), 0)) VIRTUAL
);
CREATE INDEX shift_members_shift ON shift_members(shift_id);
CREATE INDEX shift_members_worker ON shift_members(worker_id);

CREATE TABLE encounters (
    id             TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES units(id),
    fields         TEXT NOT NULL,
    clocks         TEXT NOT NULL,
    origin_device  TEXT,
    updated_ms     INTEGER NOT NULL,
    shift_id       TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.shift_id')) VIRTUAL,
    at_ms          INTEGER GENERATED ALWAYS AS (json_extract(fields, '$.at_ms')) VIRTUAL,
    bydel          TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.bydel')) VIRTUAL,
    place_type     TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.place_type')) VIRTUAL,
    youth_count    INTEGER GENERATED ALWAYS AS (json_extract(fields, '$.youth_count')) VIRTUAL,
    age_group      TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.age_group')) VIRTUAL,
    gender         TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.gender')) VIRTUAL,
    contact_kind   TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.contact_kind')) VIRTUAL,
    residence      TEXT    GENERATED ALWAYS AS (json_extract(fields, '$.residence')) VIRTUAL,
    deleted        INTEGER GENERATED ALWAYS AS (coalesce(json_extract(fields, '$._deleted'), 0)) VIRTUAL
);
CREATE INDEX encounters_shift ON encounters(shift_id);

CREATE TABLE referrals (
    id             TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES units(id),
    fields         TEXT NOT NULL,
    clocks         TEXT NOT NULL,
    origin_device  TEXT,
    updated_ms     INTEGER NOT NULL,
    shift_id       TEXT GENERATED ALWAYS AS (json_extract(fields, '$.shift_id')) VIRTUAL,
    encounter_id   TEXT GENERATED ALWAYS AS (json_extract(fields, '$.encounter_id')) VIRTUAL,
    service        TEXT GENERATED ALWAYS AS (json_extract(fields, '$.service')) VIRTUAL,
    status         TEXT GENERATED ALWAYS AS (json_extract(fields, '$.status')) VIRTUAL,
    deleted        INTEGER GENERATED ALWAYS AS (coalesce(json_extract(fields, '$._deleted'), 0)) VIRTUAL
);
CREATE INDEX referrals_shift ON referrals(shift_id);

-- Changes the server refused, kept with their reason for the team lead and
-- reported back to the device.
CREATE TABLE refusals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id    TEXT NOT NULL REFERENCES devices(id),
    unit_id      TEXT NOT NULL REFERENCES units(id),
    batch_seq    INTEGER NOT NULL,
    record_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    change       TEXT NOT NULL,
    code         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX refusals_unit ON refusals(unit_id, created_ms);

-- Team-lead decisions (approve, return), signed by the server key.
CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id    TEXT NOT NULL REFERENCES shifts(id),
    unit_id     TEXT NOT NULL REFERENCES units(id),
    decided_by  TEXT NOT NULL REFERENCES users(id),
    -- The signed decision as sent to devices (JSON).
    signed      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX decisions_shift ON decisions(shift_id);

-- What pull pages are cut from. `seq` is the pull cursor: never a time.
-- entry: 'change' (an accepted change, with the fields it won),
-- 'decision' (ref = decisions.id), 'refusal' (ref = refusals.id),
-- 'directory' (the unit's worker directory changed).
CREATE TABLE changelog (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        TEXT NOT NULL,
    entry          TEXT NOT NULL CHECK (entry IN ('change', 'decision', 'refusal', 'directory')),
    record_id      TEXT,
    origin_device  TEXT,
    change         TEXT,
    ref            INTEGER,
    -- 1 when the change's stamp was clamped: its own device then needs it
    -- back on pull, or the two would disagree on the stamp.
    clamped        INTEGER NOT NULL DEFAULT 0,
    created_ms     INTEGER NOT NULL
) STRICT;
CREATE INDEX changelog_unit_seq ON changelog(unit_id, seq);
