-- Of the known layers, those the CURRENT role may use: USAGE on the schema, and SELECT on the
-- relation or EXECUTE on the function. Run inside the request's role transaction, so GRANT and
-- REVOKE take effect on the next request. $1: relation oids, $2: function oids.
-- The candidates are joined to the catalog first (MATERIALIZED keeps the planner from running the
-- privilege checks on every pg_class row), and each schema is checked once, not once per table:
-- with thousands of tables the checks are most of this statement's cost.
WITH rels AS MATERIALIZED (
  SELECT c.oid, c.relnamespace AS nsp FROM unnest($1::oid[]) AS l(oid) JOIN pg_catalog.pg_class c ON c.oid = l.oid
),
procs AS MATERIALIZED (
  SELECT p.oid, p.pronamespace AS nsp FROM unnest($2::oid[]) AS l(oid) JOIN pg_catalog.pg_proc p ON p.oid = l.oid
),
schemas AS MATERIALIZED (
  SELECT n.nsp FROM (SELECT nsp FROM rels UNION SELECT nsp FROM procs) n WHERE pg_catalog.has_schema_privilege(n.nsp, 'USAGE')
)
SELECT 'table' AS kind, r.oid::int8 AS oid FROM rels r JOIN schemas s ON s.nsp = r.nsp
WHERE pg_catalog.has_table_privilege(r.oid, 'SELECT')
UNION ALL
SELECT 'function', p.oid::int8 FROM procs p JOIN schemas s ON s.nsp = p.nsp
WHERE pg_catalog.has_function_privilege(p.oid, 'EXECUTE')
