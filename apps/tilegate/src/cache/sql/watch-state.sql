-- For each layer relation ($1, oid[]): whether every change that can alter its tiles sends a
-- notification, and which tables' notifications should invalidate it. Run as the login role
-- through CatalogReader (search_path = pg_catalog alone); everything it reads is public catalog.
--
-- A relation is walked down to what it reads: a view through its rewrite rule's dependencies
-- (recursively), a table to its partitions and inheritance children (a SELECT on the parent reads
-- them, and a statement naming a partition notifies with the partition's oid). It is watched when
--   * the DDL event trigger is installed and enabled: ALTER COLUMN ... TYPE ... USING, CREATE OR
--     REPLACE VIEW and friends change tiles without any DML trigger firing;
--   * every table reached has a statement trigger tilegate_cache_notify, enabled ALWAYS, that calls
--     tilegate_cache.notify_change() on INSERT, UPDATE (of any column), DELETE and TRUNCATE, and
--     the row trigger tilegate_cache_notify_rows (for logical replication's apply, which fires row
--     triggers alone), enabled for REPLICA (or ALWAYS), on INSERT, UPDATE and DELETE;
--   * every view reached calls only immutable functions that are built in or belong to an
--     extension (a user function may read tables no dependency records; now() changes by itself);
--   * nothing else is reached: a materialized view changes on REFRESH, which fires no table
--     trigger; a foreign table changes elsewhere; a sequence, on every nextval.
WITH RECURSIVE
ddl_trigger AS (
  -- ddl-trigger-state.sql, put in here by watch-state.ts
  @ddl_trigger_state@
),
reached (root, rel) AS (
  SELECT r, r FROM pg_catalog.unnest($1::pg_catalog.oid[]) AS r
  UNION
  SELECT w.root, next.rel
  FROM reached w
  JOIN pg_catalog.pg_class c ON c.oid = w.rel
  CROSS JOIN LATERAL (
    SELECT d.refobjid
    FROM pg_catalog.pg_rewrite rw
    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = rw.oid
    WHERE c.relkind = 'v' AND rw.ev_class = c.oid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid <> c.oid
    UNION ALL
    SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE c.relkind IN ('r', 'p') AND i.inhparent = c.oid
  ) AS next (rel)
),
node AS (
  SELECT w.root, w.rel, c.relkind,
    CASE
      WHEN c.relkind IN ('r', 'p') THEN EXISTS (
        SELECT 1 FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE t.tgrelid = c.oid AND t.tgname = 'tilegate_cache_notify' AND t.tgenabled = 'A'
          -- statement level, AFTER, on INSERT (4), DELETE (8), UPDATE (16) and TRUNCATE (32)
          AND (t.tgtype::pg_catalog.int4 & 60) = 60 AND (t.tgtype::pg_catalog.int4 & 67) = 0
          AND pg_catalog.cardinality(t.tgattr::pg_catalog.int2[]) = 0 AND t.tgqual IS NULL
          AND n.nspname = 'tilegate_cache' AND p.proname = 'notify_change')
      AND EXISTS (
        SELECT 1 FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE t.tgrelid = c.oid AND t.tgname = 'tilegate_cache_notify_rows' AND t.tgenabled IN ('R', 'A')
          -- row level (1), AFTER, on INSERT, DELETE and UPDATE; not INSTEAD OF (64)
          AND (t.tgtype::pg_catalog.int4 & 28) = 28 AND (t.tgtype::pg_catalog.int4 & 67) = 1
          AND pg_catalog.cardinality(t.tgattr::pg_catalog.int2[]) = 0 AND t.tgqual IS NULL
          AND n.nspname = 'tilegate_cache' AND p.proname = 'notify_change')
      -- pg_depend records no dependency on built-in (pinned) functions such as now(), so the
      -- functions a view calls are read from its stored rule: every function call, operator,
      -- aggregate and window function there names its function as :funcid, :opfuncid, ...
      WHEN c.relkind = 'v' THEN NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_rewrite rw
        CROSS JOIN LATERAL pg_catalog.regexp_matches(rw.ev_action::pg_catalog.text, ':(?:funcid|opfuncid|aggfnoid|winfnoid) ([0-9]+)', 'g') AS f (id)
        JOIN pg_catalog.pg_proc p ON p.oid = f.id[1]::pg_catalog.oid
        WHERE rw.ev_class = c.oid
          AND (p.provolatile <> 'i' OR NOT (
            p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
            OR EXISTS (
              SELECT 1 FROM pg_catalog.pg_depend e
              WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND e.objid = p.oid AND e.deptype = 'e'))))
      ELSE false
    END AS ok
  FROM reached w
  LEFT JOIN pg_catalog.pg_class c ON c.oid = w.rel
)
SELECT
  node.root::pg_catalog.int8 AS oid,
  (SELECT installed FROM ddl_trigger) AND pg_catalog.bool_and(node.ok) AS watched,
  coalesce(pg_catalog.array_agg(node.rel::pg_catalog.int8 ORDER BY node.rel) FILTER (WHERE node.relkind IN ('r', 'p')), '{}') AS base_tables
FROM node
GROUP BY node.root
