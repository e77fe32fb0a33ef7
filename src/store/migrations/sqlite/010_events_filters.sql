-- beian schema, version 10 (SQLite).
-- Filters of GET /v1/events and `beian events export` (Tx::FindEvents): the events of one object
-- and of one type, in seq order; and a range of `at` (since/until, and the archive's cut-off).
CREATE INDEX events_subject ON events (subject, seq);
CREATE INDEX events_type_seq ON events (type, seq);
CREATE INDEX events_at ON events (at);
