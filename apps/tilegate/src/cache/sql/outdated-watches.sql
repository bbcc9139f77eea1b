-- Tables watched by a script from before 2026-12-03: the statement trigger without the row
-- trigger that logical replication needs. They count as not watched (watch-state.sql) until
-- tilegate_cache.watch() runs on them again; this names them for the log. Run as the login role
-- with search_path = pg_catalog.
SELECT t.tgrelid::pg_catalog.regclass::pg_catalog.text AS name
FROM pg_catalog.pg_trigger t
WHERE t.tgname = 'tilegate_cache_notify'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger r WHERE r.tgrelid = t.tgrelid AND r.tgname = 'tilegate_cache_notify_rows')
ORDER BY 1
