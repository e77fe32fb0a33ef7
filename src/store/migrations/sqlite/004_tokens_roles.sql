-- beian schema, version 4 (SQLite): operator roles and account status; tokens with ids, names,
-- scopes, expiry, last use and revocation; the credential generation; events that concern two
-- accounts (a filing's filer and the number's owner).
ALTER TABLE accounts ADD COLUMN roles TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
  CHECK (status IN ('active', 'disabled'));
UPDATE accounts SET roles = 'admin reviewer inventory' WHERE role = 'operator';

-- Tokens made before version 3 ("bn_…", unkeyed hash) keep working until revoked: they get an id
-- from their hash and every scope (narrowed to what their account may hold, as all tokens are).
ALTER TABLE tokens ADD COLUMN id TEXT;
ALTER TABLE tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN creator TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE tokens ADD COLUMN revoked_at BIGINT;
UPDATE tokens SET id = 'tok_' || substr(hash, 1, 16), name = 'legacy', creator = 'system',
  scopes = 'products:read numbers:read numbers:apply numbers:grant filings:read filings:write '
           || 'events:read inventory:write filings:review accounts:admin';
CREATE UNIQUE INDEX tokens_id ON tokens (id);

-- One row: bumped in the transaction of every change that can take a credential's power away
-- (revocation, rotation, disabling an account, a role change). Servers poll it to drop cached
-- authentications.
CREATE TABLE credential_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  gen BIGINT NOT NULL
);
INSERT INTO credential_generation (id, gen) VALUES (1, 0);

ALTER TABLE events ADD COLUMN account2 TEXT NOT NULL DEFAULT '';
CREATE INDEX events_account2 ON events (account2, seq) WHERE account2 <> '';
-- Filing events of a grantee's filing concern the filer (account_id) and the owner (account2).
UPDATE events SET account_id = f.account_id, account2 = f.owner_id
  FROM filings f
  WHERE events.subject = f.id AND events.type LIKE 'filing.%' AND f.account_id <> f.owner_id;
