-- beian schema, version 1 (SQLite). Times are Unix seconds; ids are compared byte-wise.
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  applied_at BIGINT NOT NULL
);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('customer', 'operator')),
  name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
  hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id) DEFERRABLE INITIALLY DEFERRED,
  created_at BIGINT NOT NULL
);
CREATE INDEX tokens_account ON tokens (account_id);

CREATE TABLE products (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id) DEFERRABLE INITIALLY DEFERRED,
  kind TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  billing TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  public_ips TEXT NOT NULL DEFAULT '[]',
  expires_at BIGINT,
  status TEXT NOT NULL,
  vhost_username TEXT NOT NULL DEFAULT '',
  vhost_password_hash TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX products_account ON products (account_id, id);
CREATE INDEX products_account_kind ON products (account_id, kind);

CREATE TABLE quota_scopes (
  key TEXT PRIMARY KEY,
  used BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE service_numbers (
  code TEXT PRIMARY KEY,
  product_id TEXT NOT NULL REFERENCES products (id) DEFERRABLE INITIALLY DEFERRED,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  quota_scope TEXT NOT NULL,
  state TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  domain TEXT,
  filing_id TEXT
);
CREATE INDEX service_numbers_account ON service_numbers (account_id, code);
CREATE INDEX service_numbers_product ON service_numbers (product_id, code);
CREATE INDEX service_numbers_state ON service_numbers (state, code);

CREATE TABLE grants (
  code TEXT NOT NULL REFERENCES service_numbers (code) DEFERRABLE INITIALLY DEFERRED,
  account_id TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (code, account_id)
);
CREATE INDEX grants_account ON grants (account_id, code);

CREATE TABLE filings (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  domain TEXT NOT NULL,
  service_number TEXT,
  product_id TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX filings_account ON filings (account_id, id);
CREATE INDEX filings_owner ON filings (owner_id, id);
CREATE INDEX filings_state ON filings (state, id);
CREATE UNIQUE INDEX filings_active_domain ON filings (domain)
  WHERE state IN ('in_review', 'approved');

CREATE TABLE idempotency (
  account_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);

CREATE TABLE attempts (
  subject TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX attempts_subject_at ON attempts (subject, at);
CREATE INDEX attempts_at ON attempts (at);

-- Writers are serialised (BEGIN IMMEDIATE), so seq order is commit order.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  type TEXT NOT NULL,
  account_id TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_account ON events (account_id, seq);
