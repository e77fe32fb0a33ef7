-- beian schema, version 2 (PostgreSQL). Numbers are issued 'available' and most stay so: index
-- only the others, so that issuing a number writes one index page fewer. Listing numbers by
-- another state still uses this index (the query repeats its condition); listing 'available'
-- ones walks the codes in order, where almost every row matches.
DROP INDEX service_numbers_state;
CREATE INDEX service_numbers_state ON service_numbers (state, code) WHERE state <> 'available';
