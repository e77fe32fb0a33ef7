-- beian schema, version 13 (PostgreSQL). Drops service_numbers_product_available (version 11): every
-- issued number added an entry to it, at its product's place, so an apply wrote one more index
-- page. Its one reader, the notices scan's "has the product an available number", now walks the
-- product's numbers on service_numbers_product (a product has at most its quota of them).
DROP INDEX service_numbers_product_available;
