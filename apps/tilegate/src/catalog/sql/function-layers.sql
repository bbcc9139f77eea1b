-- Functions that can be function layers: (z integer, x integer, y integer, ...) returning bytea,
-- with only IN arguments. Role-independent, read like table-layers.sql. Extra arguments come with
-- their type as shown (format_type), the type's schema and name (tile SQL casts to the quoted
-- pair, never to text from the catalog), whether the type is refused (pseudo-types such as
-- anyelement, and the reg* types, whose input looks objects up: `?r=nosuch` would tell which
-- roles or tables exist), and default expressions (NULL when the argument has none).
SELECT
  p.oid::int8 AS oid,
  n.nspname AS schema,
  p.proname AS name,
  p.proowner::int8 AS owner,
  coalesce(d.description, '') AS description,
@arguments@
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objsubid = 0
WHERE p.prokind = 'f'
  AND p.prorettype = 'bytea'::regtype
  AND NOT p.proretset
  AND p.pronargs >= 3
  AND p.proargnames[1:3] = ARRAY['z', 'x', 'y']
  AND p.proargtypes[0:2]::oid[] = ARRAY['int4'::regtype, 'int4'::regtype, 'int4'::regtype]::oid[]
  AND (p.proargmodes IS NULL OR p.proargmodes <@ ARRAY['i'::"char"])
  AND p.provariadic = 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY p.oid
