-- Feltlogg sync server, schema 3: the team-lead and admin dashboard.
-- Sessions, login rate limiting, the audit log and settings.

-- Dashboard sessions. The cookie holds a random 256-bit token; only its
-- SHA-256 is stored, so a copy of the database cannot sign anyone in.
-- `csrf` is the session's form token (not a secret at rest: it only
-- proves a form came from a page this session was shown).
CREATE TABLE sessions (
    token_hash    BLOB PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    csrf          TEXT NOT NULL,
    created_ms    INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL,
    expires_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins per key (`user:<name>` or `addr:<ip>`): the delay before
-- the next try grows with `failures`; a success clears the user's row.
CREATE TABLE login_attempts (
    key              TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    last_failure_ms  INTEGER NOT NULL
) STRICT;

-- Who did what, when. Append-only: the triggers below refuse every update
-- and delete, so nothing in the product can rewrite history.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms     INTEGER NOT NULL,
    user_id   TEXT,
    username  TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    detail    TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at_ms);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Dashboard settings, key to text value (e.g. `suppress_below`).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
