-- beian schema, version 13 (PostgreSQL): only a comment on the index. On SQLite this version drops
-- service_numbers_product_available (one index page fewer per apply), whose reader, the notices
-- scan's "has the product an available number", then walks the product's numbers on
-- service_numbers_product. PostgreSQL keeps it: without it the planner ran that EXISTS as a
-- semi-join over a sequential scan of every number, or as a per-product sequential scan (make
-- scale at 10^5 rows, 2026-12-03).
COMMENT ON INDEX service_numbers_product_available IS
  'kept on PostgreSQL for the notices scan (see migration 13)';
