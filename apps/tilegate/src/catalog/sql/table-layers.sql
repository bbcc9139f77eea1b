-- Spatial relations that can be table layers: tables, views, materialized views, foreign and
-- partitioned tables (not their partitions), with a geometry column that declares an SRID.
-- Read by CatalogReader as the login role with search_path = pg_catalog, so no requesting role can
-- put a look-alike function in its way; PostGIS's functions are called by their schema, which
-- LayerRegistry writes in place of @postgis@. Whether a role may SEE a layer is decided per
-- request by visible-layers.sql.
-- One row per geometry or geography column (pg_tileserv's issues #85 and #46): the relation's first
-- such column (lowest attnum) is the layer `schema.table`, each further one `schema.table.column`
-- (geometry_rank says which). A geography column without a declared SRID is 4326, as PostGIS has it.
SELECT
  c.oid::int8 AS oid,
  n.nspname AS schema,
  c.relname AS name,
  c.relkind::text AS relkind,
  coalesce(d.description, '') AS description,
  a.attname AS geometry_column,
  a.attnum::int AS geometry_attnum,
  t.typname::text AS geometry_kind,
  pg_catalog.rank() OVER (PARTITION BY c.oid ORDER BY a.attnum) AS geometry_rank,
  CASE WHEN t.typname = 'geography' AND @postgis@.postgis_typmod_srid(a.atttypmod) = 0 THEN 4326
       ELSE @postgis@.postgis_typmod_srid(a.atttypmod) END AS srid,
  @postgis@.postgis_typmod_type(a.atttypmod) AS geometry_type,
  (
    SELECT ia.attname
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_attribute ia ON ia.attrelid = c.oid AND ia.attnum = i.indkey[0]
    WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1
      AND ia.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
  ) AS id_column,
  coalesce((
    SELECT json_agg(json_build_object('name', pa.attname, 'type', pt.typname, 'description', coalesce(pd.description, ''), 'attnum', pa.attnum) ORDER BY pa.attnum)
    FROM pg_catalog.pg_attribute pa
    JOIN pg_catalog.pg_type pt ON pt.oid = pa.atttypid
    LEFT JOIN pg_catalog.pg_description pd ON pd.objoid = c.oid AND pd.classoid = 'pg_catalog.pg_class'::regclass AND pd.objsubid = pa.attnum
    WHERE pa.attrelid = c.oid AND pa.attnum > 0 AND NOT pa.attisdropped
      AND pt.typname NOT IN ('geometry', 'geography')
  ), '[]'::json) AS properties,
  (
    SELECT count(*) || '/' || sum(fa.xmin::text::int8)
    FROM pg_catalog.pg_attribute fa WHERE fa.attrelid = c.oid AND fa.attnum > 0
  ) AS columns_fingerprint
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid AND t.typname IN ('geometry', 'geography') AND t.typnamespace = (
  SELECT e.extnamespace FROM pg_catalog.pg_extension e WHERE e.extname = 'postgis')
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND (t.typname = 'geography' OR @postgis@.postgis_typmod_srid(a.atttypmod) > 0)
ORDER BY c.oid, a.attnum
