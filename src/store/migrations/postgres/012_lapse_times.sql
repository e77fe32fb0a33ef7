-- beian schema, version 12 (PostgreSQL). When a product's status and its public IPs last changed
-- (the product's updated_at of that change; NULL: not since it was created), kept by a trigger:
-- a number's lapse notice (domain/notices.h) is keyed on when its product became unusable, so
-- that editing another field of a lapsed product is not a new lapse.
ALTER TABLE products ADD COLUMN status_changed_at BIGINT;
ALTER TABLE products ADD COLUMN ips_changed_at BIGINT;
CREATE FUNCTION beian_product_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IS DISTINCT FROM NEW.status THEN
    NEW.status_changed_at := NEW.updated_at;
  END IF;
  IF OLD.public_ips IS DISTINCT FROM NEW.public_ips THEN
    NEW.ips_changed_at := NEW.updated_at;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER products_changes BEFORE UPDATE OF status, public_ips ON products
  FOR EACH ROW EXECUTE FUNCTION beian_product_changes();
-- What was known before: a lapsed product lapsed at its last change (the notices so far were
-- keyed on it, so none is emitted again).
UPDATE products SET status_changed_at = updated_at WHERE status IN ('expired', 'released');
UPDATE products SET ips_changed_at = updated_at WHERE public_ips = '[]';
