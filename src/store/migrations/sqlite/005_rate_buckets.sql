-- beian schema, version 5 (SQLite): token buckets of the write rate limits (see Tx::LockBucket). level is in
-- thousandths of a token as of `at` (seconds since the epoch); a missing row is a full bucket.
CREATE TABLE rate_buckets (
  key TEXT PRIMARY KEY,
  level BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX rate_buckets_at ON rate_buckets (at);
