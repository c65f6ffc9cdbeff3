-- Feltlogg sync server, schema 10: lost and retired phones (issue 16).
--
-- A revocation is an instruction to one phone, signed with the server key
-- the phone pinned: `retire` (push what is left, then wipe) or `lost`
-- (wipe at once). The signed instruction is stored as sent (JSON), so
-- every pull of a revoked phone hands out the very same bytes. A phone
-- revoked before this schema has no row: it gets 403 `device_revoked` as
-- before and never wipes. `retire` may become `lost` (a phone handed in
-- never came back), never the other way.
CREATE TABLE revocations (
    device_id   TEXT PRIMARY KEY REFERENCES devices(id),
    kind        TEXT NOT NULL CHECK (kind IN ('retire', 'lost')),
    signed      TEXT NOT NULL,
    revoked_by  TEXT REFERENCES users(id),
    created_ms  INTEGER NOT NULL
) STRICT;

-- When the phone last reached the server with its token (a push or a
-- pull), kept to the minute or so: the devices page shows it, and the
-- admin sees whether a revoked phone fetched its instruction.
ALTER TABLE devices ADD COLUMN last_contact_ms INTEGER;
