-- Of the known layers, those the CURRENT role may use: USAGE on the schema, and SELECT on the
-- relation or EXECUTE on the function. Run inside the request's role transaction, so GRANT and
-- REVOKE take effect on the next request. $1: relation oids, $2: function oids.
SELECT 'table' AS kind, c.oid::int8 AS oid
FROM pg_catalog.pg_class c
WHERE c.oid = ANY ($1::oid[])
  AND pg_catalog.has_schema_privilege(c.relnamespace, 'USAGE')
  AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
UNION ALL
SELECT 'function', p.oid::int8
FROM pg_catalog.pg_proc p
WHERE p.oid = ANY ($2::oid[])
  AND pg_catalog.has_schema_privilege(p.pronamespace, 'USAGE')
  AND pg_catalog.has_function_privilege(p.oid, 'EXECUTE')
