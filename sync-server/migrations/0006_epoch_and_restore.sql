-- Backup and restore without loss.
--
-- The database's epoch: a random id, named in every ack and pull page, that
-- `restore` replaces. A phone that meets a new epoch knows the server went
-- back to a copy: it re-sends the sealed batches the server lacks and pulls
-- from the start.
INSERT OR IGNORE INTO settings (key, value) VALUES ('epoch', lower(hex(randomblob(16))));

-- Batches a phone had sent and seen acknowledged before a restore, and no
-- longer holds (its retention dropped them): their changes are lost. Kept
-- for the server's log and the dashboard; the device's high-water mark
-- moves past them so its later batches can apply.
CREATE TABLE batch_losses (
    device_id    TEXT NOT NULL REFERENCES devices(id),
    from_seq     INTEGER NOT NULL,
    to_seq       INTEGER NOT NULL,
    reported_ms  INTEGER NOT NULL,
    PRIMARY KEY (device_id, from_seq)
) STRICT;

-- Decisions this server signed that a phone still held after a restore and
-- the restored database does not: the shift needs a decision again. The
-- signed JSON is kept as the phone sent it (its signature was checked
-- against the server's key). Resolved by the next decision on the shift.
CREATE TABLE lost_decisions (
    shift_id       TEXT NOT NULL,
    unit_id        TEXT NOT NULL REFERENCES units(id),
    status         TEXT NOT NULL,
    decided_at_ms  INTEGER NOT NULL,
    signed         TEXT NOT NULL,
    reported_by    TEXT NOT NULL REFERENCES devices(id),
    reported_ms    INTEGER NOT NULL,
    PRIMARY KEY (shift_id, decided_at_ms)
) STRICT;
CREATE INDEX lost_decisions_unit ON lost_decisions(unit_id);
