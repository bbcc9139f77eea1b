-- Sign-in functions: those returning the JwtTypeIdentifier composite type ($1 schema, $2 name),
-- not set-returning, with only IN arguments, every argument given by name in the request body.
-- Role-independent, read like table-layers.sql; who may EXECUTE one is asked per request.
SELECT
  p.oid::int8 AS oid,
  n.nspname AS schema,
  p.proname AS name,
  p.proowner::int8 AS owner,
  coalesce(d.description, '') AS description,
@arguments@
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_type rt ON rt.oid = p.prorettype
JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.typnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objsubid = 0
WHERE p.prokind = 'f'
  AND NOT p.proretset
  AND rn.nspname = $1 AND rt.typname = $2
  AND (p.proargmodes IS NULL OR p.proargmodes <@ ARRAY['i'::"char"])
  AND p.provariadic = 0
  AND p.pronargs = coalesce(pg_catalog.array_length(p.proargnames, 1), 0)
ORDER BY p.oid
