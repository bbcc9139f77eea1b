-- Of the known layers, those the CURRENT role may use: USAGE on the schema, and SELECT on the
-- layer's geometry column (table-wide or column-level) or EXECUTE on the function (each overload). Run inside the request's role transaction, so GRANT and
-- REVOKE take effect on the next request.
-- $1: relation oids, $2: their geometry columns' attribute numbers, $3: function oids (array
-- literals, kept ready per catalog load), $4: the schemas they are in.
-- Answers one character per candidate, in order ('1' usable, '0' not, or gone since), and the
-- usable schemas: with thousands of tables, 2,000 rows to send and parse cost more than the
-- checks themselves. Each check is made on the oid alone (no join to pg_class), and a missing
-- oid answers NULL, so a layer dropped since the catalog was read is simply not usable.
-- It runs as the request's role, so every function and operator is named by its schema: nothing
-- here resolves through search_path.
SELECT
  (SELECT coalesce(pg_catalog.string_agg(CASE WHEN pg_catalog.has_column_privilege(t.oid, t.attnum, 'SELECT') THEN '1' ELSE '0' END, '' ORDER BY t.i), '')
     FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), pg_catalog.unnest($2::pg_catalog.int2[])) WITH ORDINALITY AS t(oid, attnum, i)) AS tables,
  (SELECT coalesce(pg_catalog.string_agg(CASE WHEN pg_catalog.has_function_privilege(f.oid, 'EXECUTE') THEN '1' ELSE '0' END, '' ORDER BY f.i), '')
     FROM pg_catalog.unnest($3::pg_catalog.oid[]) WITH ORDINALITY AS f(oid, i)) AS functions,
  (SELECT coalesce(pg_catalog.array_agg(n.nspname::pg_catalog.text), '{}')
     FROM pg_catalog.pg_namespace n
     WHERE n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($4::pg_catalog.text[]) AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')) AS schemas
