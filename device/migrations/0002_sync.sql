-- Sealed batches: cut from the outbox and kept, sealed, until the server
-- acknowledges them, so a retry sends the very same bytes.
CREATE TABLE sealed_batch (
    seq           INTEGER PRIMARY KEY,   -- per-device batch seq, gap-free from 1
    through_seq   INTEGER NOT NULL,      -- the last outbox seq the batch holds
    envelope      BLOB NOT NULL
) STRICT;

-- Changes of this device that the server refused, with its reason: shown
-- to the workers, never silently dropped.
CREATE TABLE refusal (
    record_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    batch_seq    INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    PRIMARY KEY (record_id, batch_seq)
) STRICT;
