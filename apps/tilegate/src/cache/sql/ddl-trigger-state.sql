-- Whether the DDL event trigger of sql/tile-cache-invalidation.sql is installed and enabled (the
-- same test watch-state.sql makes). Enabled ALWAYS, as the script makes it: enabled for 'origin' only, it
-- misses DDL run under session_replication_role = replica. Run as the login role with search_path = pg_catalog.
SELECT EXISTS (
  SELECT 1 FROM pg_catalog.pg_event_trigger e
  JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE e.evtname = 'tilegate_cache_ddl' AND e.evtevent = 'ddl_command_end' AND e.evtenabled = 'A'
    AND e.evttags IS NULL AND n.nspname = 'tilegate_cache' AND p.proname = 'notify_ddl'
) AS installed
