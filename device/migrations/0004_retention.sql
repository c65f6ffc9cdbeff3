-- Backup and restore without loss (issue #12): a sealed batch the server
-- acknowledged is kept, sealed, for a retention period, so that if the
-- server goes back to a backup the phone can send it again, byte for byte.
-- Pruned by age and total size (settings in sync_state).
CREATE TABLE acked_batch (
    seq        INTEGER PRIMARY KEY,   -- the batch seq the server acknowledged
    envelope   BLOB NOT NULL,         -- the very bytes sent
    acked_ms   INTEGER NOT NULL
) STRICT;

-- The last verified decision (signed by the server) on each shift, as
-- pulled: after a restore, the phone reports those the server no longer
-- holds, and the server checks its own signature.
CREATE TABLE held_decision (
    shift_id       TEXT PRIMARY KEY,
    decided_at_ms  INTEGER NOT NULL,
    signed         TEXT NOT NULL
) STRICT;
