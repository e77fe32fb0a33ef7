-- beian schema, version 11 (PostgreSQL). Notices (domain/notices.h): one row per occurrence,
-- (kind, object_id, occurred_at) unique, so that scans running at once in several servers insert
-- each notice once (INSERT … ON CONFLICT DO NOTHING) and append its event only then.
CREATE TABLE notices (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  account_id TEXT COLLATE "C" NOT NULL,
  object_id TEXT COLLATE "C" NOT NULL,
  product_id TEXT NOT NULL DEFAULT '',
  occurred_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  min_months INTEGER NOT NULL DEFAULT 0,
  review_days INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (kind, object_id, occurred_at)
);
-- GET /v1/notices: one account's, newest first.
CREATE INDEX notices_account ON notices (account_id, id);
-- The scan's candidates. Term notices: products on subscription still running, per kind, by
-- expiry. Lapse notices: products by expiry, and products that lapsed by a change (released,
-- marked expired, no public IP) by the time of that change.
CREATE INDEX products_term ON products (kind, expires_at, id)
  WHERE status IN ('running', 'stopped') AND billing = 'subscription';
CREATE INDEX products_expires ON products (expires_at, id);
CREATE INDEX products_lapsed_updated ON products (updated_at, id)
  WHERE status IN ('expired', 'released') OR public_ips = '[]';
-- A product's unused numbers.
CREATE INDEX service_numbers_product_available ON service_numbers (product_id)
  WHERE state = 'available';
