-- beian schema, version 3 (SQLite). The operator's overview counts numbers and filings by state
-- without reading either table (a full scan at 10^7 rows): triggers keep the count of each state.
-- SQLite has one writer at a time, so one row per state (shard 0) is enough.
CREATE TABLE state_counts (
  entity TEXT NOT NULL,  -- 'numbers' or 'filings'
  state TEXT NOT NULL,
  shard INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (entity, state, shard)
);

CREATE TRIGGER service_numbers_count_insert AFTER INSERT ON service_numbers BEGIN
  INSERT OR IGNORE INTO state_counts VALUES ('numbers', NEW.state, 0, 0);
  UPDATE state_counts SET n = n + 1 WHERE entity = 'numbers' AND state = NEW.state AND shard = 0;
END;
CREATE TRIGGER service_numbers_count_delete AFTER DELETE ON service_numbers BEGIN
  UPDATE state_counts SET n = n - 1 WHERE entity = 'numbers' AND state = OLD.state AND shard = 0;
END;
CREATE TRIGGER service_numbers_count_update AFTER UPDATE OF state ON service_numbers
  WHEN OLD.state IS NOT NEW.state BEGIN
  UPDATE state_counts SET n = n - 1 WHERE entity = 'numbers' AND state = OLD.state AND shard = 0;
  INSERT OR IGNORE INTO state_counts VALUES ('numbers', NEW.state, 0, 0);
  UPDATE state_counts SET n = n + 1 WHERE entity = 'numbers' AND state = NEW.state AND shard = 0;
END;
CREATE TRIGGER filings_count_insert AFTER INSERT ON filings BEGIN
  INSERT OR IGNORE INTO state_counts VALUES ('filings', NEW.state, 0, 0);
  UPDATE state_counts SET n = n + 1 WHERE entity = 'filings' AND state = NEW.state AND shard = 0;
END;
CREATE TRIGGER filings_count_delete AFTER DELETE ON filings BEGIN
  UPDATE state_counts SET n = n - 1 WHERE entity = 'filings' AND state = OLD.state AND shard = 0;
END;
CREATE TRIGGER filings_count_update AFTER UPDATE OF state ON filings
  WHEN OLD.state IS NOT NEW.state BEGIN
  UPDATE state_counts SET n = n - 1 WHERE entity = 'filings' AND state = OLD.state AND shard = 0;
  INSERT OR IGNORE INTO state_counts VALUES ('filings', NEW.state, 0, 0);
  UPDATE state_counts SET n = n + 1 WHERE entity = 'filings' AND state = NEW.state AND shard = 0;
END;

INSERT INTO state_counts SELECT 'numbers', state, 0, COUNT(*) FROM service_numbers GROUP BY state;
INSERT INTO state_counts SELECT 'filings', state, 0, COUNT(*) FROM filings GROUP BY state;
