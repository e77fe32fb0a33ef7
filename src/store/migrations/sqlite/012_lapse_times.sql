-- beian schema, version 12 (SQLite). When a product's status and its public IPs last changed
-- (the product's updated_at of that change; NULL: not since it was created), kept by triggers:
-- a number's lapse notice (domain/notices.h) is keyed on when its product became unusable, so
-- that editing another field of a lapsed product is not a new lapse.
ALTER TABLE products ADD COLUMN status_changed_at BIGINT;
ALTER TABLE products ADD COLUMN ips_changed_at BIGINT;
CREATE TRIGGER products_status_changed AFTER UPDATE OF status ON products
  WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE products SET status_changed_at = NEW.updated_at WHERE id = NEW.id;
END;
CREATE TRIGGER products_ips_changed AFTER UPDATE OF public_ips ON products
  WHEN OLD.public_ips IS NOT NEW.public_ips BEGIN
  UPDATE products SET ips_changed_at = NEW.updated_at WHERE id = NEW.id;
END;
-- What was known before: a lapsed product lapsed at its last change (the notices so far were
-- keyed on it, so none is emitted again).
UPDATE products SET status_changed_at = updated_at WHERE status IN ('expired', 'released');
UPDATE products SET ips_changed_at = updated_at WHERE public_ips = '[]';
