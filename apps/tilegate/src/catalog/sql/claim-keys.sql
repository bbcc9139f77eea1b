-- The jwt.claims.<key> names the database's own SQL reads: in row level security policies, in the
-- bodies of functions (not C or internal ones) and in view definitions. ClaimKeys defines each of
-- them on every connection, so an absent claim reads '' everywhere (see libs/database/src/claim-keys.ts).
-- Read by CatalogReader (search_path = pg_catalog).
SELECT DISTINCT m[1] AS key
FROM (
  SELECT pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS body FROM pg_catalog.pg_policy p
  UNION ALL
  SELECT pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_catalog.pg_policy p
  UNION ALL
  SELECT f.prosrc FROM pg_catalog.pg_proc f JOIN pg_catalog.pg_language l ON l.oid = f.prolang
  WHERE l.lanname NOT IN ('c', 'internal') AND f.prosrc LIKE '%jwt.claims.%'
  UNION ALL
  SELECT pg_catalog.pg_get_viewdef(c.oid) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
) AS s,
LATERAL pg_catalog.regexp_matches(s.body, 'jwt\.claims\.([A-Za-z_][A-Za-z0-9_]{0,62})', 'g') AS m
WHERE s.body IS NOT NULL
ORDER BY 1
