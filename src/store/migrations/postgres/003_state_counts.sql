-- beian schema, version 3 (PostgreSQL). The operator's overview counts numbers and filings by state
-- without reading either table (a full scan at 10^7 rows): triggers keep the count of each state,
-- split over 16 rows per state (chosen by the backend's pid) so that concurrent writers seldom
-- wait for the same row. The overview sums them.
CREATE TABLE state_counts (
  entity TEXT NOT NULL,  -- 'numbers' or 'filings'
  state TEXT NOT NULL,
  shard INTEGER NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (entity, state, shard)
);

CREATE FUNCTION beian_count_states() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ent TEXT := CASE TG_TABLE_NAME WHEN 'service_numbers' THEN 'numbers' ELSE 'filings' END;
  slot INTEGER := pg_backend_pid() % 16;
  old_state TEXT;
  new_state TEXT;
BEGIN
  IF TG_OP <> 'INSERT' THEN old_state := OLD.state; END IF;
  IF TG_OP <> 'DELETE' THEN new_state := NEW.state; END IF;
  IF old_state IS NOT DISTINCT FROM new_state THEN RETURN NULL; END IF;
  IF old_state IS NOT NULL THEN
    INSERT INTO state_counts VALUES (ent, old_state, slot, -1)
      ON CONFLICT (entity, state, shard) DO UPDATE SET n = state_counts.n - 1;
  END IF;
  IF new_state IS NOT NULL THEN
    INSERT INTO state_counts VALUES (ent, new_state, slot, 1)
      ON CONFLICT (entity, state, shard) DO UPDATE SET n = state_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER service_numbers_count_states AFTER INSERT OR DELETE OR UPDATE OF state
  ON service_numbers FOR EACH ROW EXECUTE FUNCTION beian_count_states();
CREATE TRIGGER filings_count_states AFTER INSERT OR DELETE OR UPDATE OF state
  ON filings FOR EACH ROW EXECUTE FUNCTION beian_count_states();

INSERT INTO state_counts SELECT 'numbers', state, 0, COUNT(*) FROM service_numbers GROUP BY state;
INSERT INTO state_counts SELECT 'filings', state, 0, COUNT(*) FROM filings GROUP BY state;
