-- The columns of one relation, as a fingerprint: changes with ADD, DROP, RENAME and ALTER COLUMN.
-- Must stay the same expression as columns_fingerprint in table-layers.sql. $1: relation oid.
SELECT count(*) || '/' || sum(xmin::text::int8) AS fingerprint
FROM pg_catalog.pg_attribute WHERE attrelid = $1::oid AND attnum > 0
