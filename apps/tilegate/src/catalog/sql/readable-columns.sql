-- Which of a relation's columns the CURRENT role may SELECT (a column-level GRANT, or the table's).
-- Asked only for a role that turned out not to read the whole table, and for {layer}.json.
-- $1: relation oid, $2: column names, $3: their attribute numbers (parallel arrays).
SELECT coalesce(pg_catalog.array_agg(c.name ORDER BY c.attnum), '{}') AS names
FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.text[]), pg_catalog.unnest($3::pg_catalog.int2[])) AS c(name, attnum)
WHERE pg_catalog.has_column_privilege($1::pg_catalog.oid, c.attnum, 'SELECT')
