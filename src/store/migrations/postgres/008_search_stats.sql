-- beian schema, version 8 (PostgreSQL). Search (GET /v1/search) and the operators' dashboard
-- (GET /v1/stats) read by index only.
-- A product's public IPs, one row each, kept by a trigger from products.public_ips (a JSON array
-- of canonical addresses): search by IP is a look-up of (ip) instead of a scan of every product.
CREATE TABLE product_ips (
  ip TEXT NOT NULL,
  product_id TEXT NOT NULL,
  PRIMARY KEY (ip, product_id)
);
CREATE INDEX product_ips_product ON product_ips (product_id);

CREATE FUNCTION beian_product_ips() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.public_ips IS NOT DISTINCT FROM NEW.public_ips THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM product_ips WHERE product_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO product_ips
      SELECT DISTINCT ip, NEW.id FROM jsonb_array_elements_text(NEW.public_ips::jsonb) ip
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER products_ips AFTER INSERT OR DELETE OR UPDATE OF public_ips
  ON products FOR EACH ROW EXECUTE FUNCTION beian_product_ips();
INSERT INTO product_ips
  SELECT DISTINCT ip, p.id FROM products p, jsonb_array_elements_text(p.public_ips::jsonb) ip
  ON CONFLICT DO NOTHING;

-- Search of filings by domain (any state).
CREATE INDEX filings_domain ON filings (domain, id);
-- The review queue's size and age percentiles use filings_state_created (migration 7).
-- Numbers issued per hour or day: a range of issued_at.
CREATE INDEX service_numbers_issued ON service_numbers (issued_at);
-- Filing transitions per hour or day: a range of `at` per event type.
CREATE INDEX events_type_at ON events (type, at);
