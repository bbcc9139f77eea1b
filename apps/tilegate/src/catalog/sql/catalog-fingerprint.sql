-- Changes whenever DDL adds, drops or alters a relation, function, comment, schema, index or
-- policy (policies name the claim keys ClaimKeys defines, see claim-keys.sql): such
-- changes write catalog rows with a new xmin, or remove rows (the count). Checked before every
-- catalog answer, so cached metadata is never stale there.
-- pg_attribute is left out: scanning it costs more than everything else here together. ADD COLUMN
-- rewrites the table's pg_class row (caught here); DROP and RENAME COLUMN do not, and are caught
-- per layer instead (layer-columns-fingerprint.sql before a layer's detail, and a tile that meets a
-- missing column reloads and retries). The list of layers itself does not depend on columns.
SELECT concat_ws(':',
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_class),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_proc),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_description),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_namespace),
  (SELECT count(*) || '/' || sum(xmin::text::int8) FROM pg_catalog.pg_index),
  (SELECT count(*) || '/' || coalesce(sum(xmin::text::int8), 0) FROM pg_catalog.pg_policy)
) AS fingerprint
