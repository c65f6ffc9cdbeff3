-- Feltlogg sync server, schema 5: sign-in the municipality trusts.
-- Where and how each session began (for the person's own sessions page),
-- browsers that signed in before (device cookies, for the throttle), and
-- OpenID Connect: links from a provider's stable subject to a user, and
-- sign-ins under way.

ALTER TABLE sessions ADD COLUMN addr TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

-- A browser that signed in to `user_id` before. The cookie holds a random
-- 256-bit token; only its SHA-256 is stored. It grants no access by itself:
-- it only gives that browser its own allowance of password tries.
CREATE TABLE known_browsers (
    token_hash    BLOB PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    created_ms    INTEGER NOT NULL,
    last_used_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX known_browsers_user ON known_browsers(user_id);

-- A user's identity at the OpenID provider: the issuer's stable `sub`.
-- An admin sets the subject, or an e-mail address that the first sign-in
-- with that verified e-mail turns into the subject.
CREATE TABLE oidc_links (
    user_id     TEXT PRIMARY KEY REFERENCES users(id),
    issuer      TEXT NOT NULL,
    subject     TEXT,
    email       TEXT,
    linked_ms   INTEGER NOT NULL,
    UNIQUE (issuer, subject)
) STRICT;

-- An OpenID sign-in between the redirect to the provider and its return:
-- looked up by the SHA-256 of `state` and deleted on first use, so a state
-- cannot be replayed. `browser_hash` binds it to the browser that started it.
CREATE TABLE oidc_pending (
    state_hash     BLOB PRIMARY KEY,
    browser_hash   BLOB NOT NULL,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    next           TEXT NOT NULL,
    created_ms     INTEGER NOT NULL
) STRICT;
