-- beian schema, version 8 (SQLite). Search (GET /v1/search) and the operators' dashboard
-- (GET /v1/stats) read by index only.
-- A product's public IPs, one row each, kept by triggers from products.public_ips (a JSON array
-- of canonical addresses): search by IP is a look-up of (ip) instead of a scan of every product.
CREATE TABLE product_ips (
  ip TEXT NOT NULL,
  product_id TEXT NOT NULL,
  PRIMARY KEY (ip, product_id)
);
CREATE INDEX product_ips_product ON product_ips (product_id);

CREATE TRIGGER products_ips_insert AFTER INSERT ON products BEGIN
  INSERT OR IGNORE INTO product_ips SELECT value, NEW.id FROM json_each(NEW.public_ips);
END;
CREATE TRIGGER products_ips_update AFTER UPDATE OF public_ips ON products
  WHEN OLD.public_ips IS NOT NEW.public_ips BEGIN
  DELETE FROM product_ips WHERE product_id = OLD.id;
  INSERT OR IGNORE INTO product_ips SELECT value, NEW.id FROM json_each(NEW.public_ips);
END;
CREATE TRIGGER products_ips_delete AFTER DELETE ON products BEGIN
  DELETE FROM product_ips WHERE product_id = OLD.id;
END;
INSERT OR IGNORE INTO product_ips SELECT j.value, p.id FROM products p, json_each(p.public_ips) j;

-- Search of filings by domain (any state).
CREATE INDEX filings_domain ON filings (domain, id);
-- The review queue's size and age percentiles use filings_state_created (migration 7).
-- Numbers issued per hour or day: a range of issued_at.
CREATE INDEX service_numbers_issued ON service_numbers (issued_at);
-- Filing transitions per hour or day: a range of `at` per event type.
CREATE INDEX events_type_at ON events (type, at);
