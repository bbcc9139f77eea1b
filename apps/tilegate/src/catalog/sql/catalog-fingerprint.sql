-- Changes whenever DDL adds, drops or alters a relation, column, function, comment, schema or
-- index: every such change writes catalog rows with a new xmin, or removes rows (the count).
-- Cheap enough to run before every catalog answer, so cached metadata is never stale there.
SELECT concat_ws(':',
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_class),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_attribute),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_proc),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_description),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_namespace),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_index)
) AS fingerprint
