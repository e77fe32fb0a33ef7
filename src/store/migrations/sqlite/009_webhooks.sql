-- beian schema, version 9 (SQLite). Webhooks: the events table is the outbox. Each webhook keeps
-- a cursor (the last event seq it took); delivery turns the events after it into messages, one per
-- (webhook, event), sent in order and retried per the retry schedule. Times of delivery (lease,
-- next attempt, attempts) are Unix milliseconds; created/updated are seconds like elsewhere.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL DEFAULT '',  -- '' = an operator subscription (all events)
  url TEXT NOT NULL,
  event_types TEXT NOT NULL DEFAULT '[]',  -- JSON array; empty = all
  description TEXT NOT NULL DEFAULT '',
  secret TEXT NOT NULL,
  previous_secret TEXT NOT NULL DEFAULT '',
  previous_secret_expires_at BIGINT,
  state TEXT NOT NULL DEFAULT 'active',
  disabled_reason TEXT NOT NULL DEFAULT '',
  cursor_seq BIGINT NOT NULL,
  failing_since BIGINT,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until BIGINT NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL DEFAULT 0,  -- when the head message is due; 9e15 when none is pending
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX webhooks_account ON webhooks (account_id, id);

-- One message per (webhook, event): id "msg_<webhook>_<seq>", stable across retries and replays.
-- state: pending, delivered, failed (the schedule ran out). Sent in (queued_at, seq) order.
CREATE TABLE webhook_messages (
  webhook_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  queued_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  PRIMARY KEY (webhook_id, seq)
);
CREATE INDEX webhook_messages_pending ON webhook_messages (webhook_id, queued_at, seq)
  WHERE state = 'pending';

CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  status INTEGER,
  latency_ms BIGINT NOT NULL DEFAULT 0,
  response TEXT NOT NULL DEFAULT '',
  next_attempt_at BIGINT
);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, id);
