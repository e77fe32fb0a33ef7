-- beian schema, version 6 (SQLite). Console single sign-on (OpenID Connect): sign-ins waiting for the
-- issuer's answer (kept 10 minutes) and the console's sessions. Secrets are stored only as hashes;
-- every `beian serve` on the store sees the same sessions, so a sign-out is immediate everywhere.
CREATE TABLE oidc_logins (
  state_hash TEXT PRIMARY KEY,
  code_verifier TEXT NOT NULL,
  nonce TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_created ON oidc_logins (created_at);

CREATE TABLE web_sessions (
  id_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id) DEFERRABLE INITIALLY DEFERRED,
  roles TEXT NOT NULL DEFAULT '',
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX web_sessions_account ON web_sessions (account_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
