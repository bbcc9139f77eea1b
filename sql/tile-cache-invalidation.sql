-- tilegate tile-cache invalidation: optional, installed by the database owner.
--
--   psql -v ON_ERROR_STOP=1 -f sql/tile-cache-invalidation.sql "$DATABASE_URL"
--   SELECT tilegate_cache.watch('public.parcels');        -- one table (and its partitions)
--   SELECT tilegate_cache.watch_schema('public');         -- every spatial table in a schema
--
-- Without it, tilegate knows nothing of data changes, and a cached tile lives TileCacheTTL seconds.
-- With it, every statement that changes a watched table NOTIFYs `tilegate_changes` with the table's
-- oid, every DDL command NOTIFYs `tilegate_ddl` with its command tag, and tilegate (which LISTENs
-- on one connection to the primary) drops the affected tiles within a second.
--
-- Who runs what:
--   * this script: a role that may CREATE in the database. The event trigger at the end needs a
--     superuser (PostgreSQL allows nothing else to create event triggers); run by anyone else the
--     script says so in a WARNING and installs the rest. Without the event trigger tilegate counts
--     no layer as watched: ALTER TABLE ... ALTER COLUMN TYPE ... USING and CREATE OR REPLACE VIEW
--     change tiles and fire no table trigger (apps/tilegate/src/cache/sql/watch-state.sql).
--   * watch / unwatch / watch_schema: the table's owner (CREATE TRIGGER needs the TRIGGER privilege
--     on the table). They run with the caller's rights (SECURITY INVOKER), so they grant nothing.
--
-- Safe to run again: everything is CREATE OR REPLACE or created only when missing, and watch()
-- recreates its trigger. Every function pins `SET search_path = pg_catalog, pg_temp`, so no role can
-- put a look-alike pg_notify, format or table in front of them through its own search_path.
--
-- What the notifications promise:
--   * They are sent at commit, and only for committed transactions: a rolled-back UPDATE sends
--     nothing. One transaction sends each distinct (channel, payload) once.
--   * FOR EACH STATEMENT: one notification per statement whatever the number of rows (also for a
--     statement that changed none), so a bulk load costs one, not millions.
--   * TRUNCATE, COPY, INSERT ... ON CONFLICT and MERGE fire them too. The statement trigger is
--     ENABLE ALWAYS, so it fires under session_replication_role = replica as well. Logical
--     replication applies rows without firing statement triggers (but for TRUNCATE): a second,
--     row-level trigger enabled for REPLICA only notifies for a subscription's changes, one
--     notification per table and transaction (PostgreSQL folds the duplicates). The DDL event
--     trigger is ENABLE ALWAYS too.
--   * Any role that can connect can NOTIFY these channels (PostgreSQL has no privilege for it):
--     it can make tilegate drop tiles, never keep a stale one. A flood of them is a denial of the
--     cache's service, not of the data's correctness.
--   * ALTER TABLE ... ALTER COLUMN TYPE ... USING changes data without any DML trigger: the DDL
--     event trigger covers it (tilegate treats a DDL notification as "everything may have changed").
--   * Partitioned tables (and inheritance parents): a statement-level trigger on the parent fires,
--     with the parent's oid, for statements that name the parent, including rows routed through it
--     to partitions; a statement that names a partition directly fires only the partition's own
--     triggers. So watch() on a parent watches every existing partition too, and tilegate counts
--     the partitions' oids as the parent layer's. A partition created or attached later is DDL
--     (a `tilegate_ddl` notification) and is not watched until watch() runs on the parent again.
--   * REFRESH MATERIALIZED VIEW fires no table trigger: tilegate does not count materialized views
--     as watched. Foreign tables are not watched either (their data changes elsewhere).
--   * Not covered: ALTER EVENT TRIGGER ... DISABLE fires no event trigger. tilegate re-reads which
--     layers are watched when its catalog is refreshed.

BEGIN;

CREATE SCHEMA IF NOT EXISTS tilegate_cache;
COMMENT ON SCHEMA tilegate_cache IS 'tilegate tile-cache invalidation triggers (sql/tile-cache-invalidation.sql)';
-- Table owners call watch(); trigger functions need no USAGE to fire.
GRANT USAGE ON SCHEMA tilegate_cache TO PUBLIC;

CREATE OR REPLACE FUNCTION tilegate_cache.notify_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM pg_catalog.pg_notify('tilegate_changes', TG_RELID::pg_catalog.text);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION tilegate_cache.notify_change() IS 'Statement trigger: NOTIFY tilegate_changes with the changed table''s oid';

CREATE OR REPLACE FUNCTION tilegate_cache.notify_ddl() RETURNS event_trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM pg_catalog.pg_notify('tilegate_ddl', TG_TAG);
END
$$;
COMMENT ON FUNCTION tilegate_cache.notify_ddl() IS 'Event trigger: NOTIFY tilegate_ddl with the command tag';

-- (Re)creates the trigger on a table and, for a partitioned or inheritance parent, on every
-- existing child. Drop-then-create in one transaction, so a second call changes nothing.
CREATE OR REPLACE FUNCTION tilegate_cache.watch(rel regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
  kind "char";
  child regclass;
BEGIN
  SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = rel;
  IF kind IS NULL OR kind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION 'tilegate_cache.watch: % is not a table (a view is watched through its tables; a materialized or foreign table cannot be)', rel
      USING ERRCODE = 'wrong_object_type';
  END IF;
  EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS tilegate_cache_notify ON %s', rel);
  EXECUTE pg_catalog.format(
    'CREATE TRIGGER tilegate_cache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
    'FOR EACH STATEMENT EXECUTE FUNCTION tilegate_cache.notify_change()', rel);
  EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ALWAYS TRIGGER tilegate_cache_notify', rel);
  -- Logical replication's apply worker fires row triggers alone (statement triggers only for
  -- TRUNCATE), with session_replication_role = replica: this row trigger, enabled for REPLICA
  -- only, notifies for what a subscription applies and never fires in an ordinary session. On a
  -- partition it may be the clone of its parent's, which cannot be dropped on its own.
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = rel AND t.tgname = 'tilegate_cache_notify_rows' AND t.tgparentid <> 0) THEN
    EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS tilegate_cache_notify_rows ON %s', rel);
    EXECUTE pg_catalog.format(
      'CREATE TRIGGER tilegate_cache_notify_rows AFTER INSERT OR UPDATE OR DELETE ON %s '
      'FOR EACH ROW EXECUTE FUNCTION tilegate_cache.notify_change()', rel);
  END IF;
  EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE REPLICA TRIGGER tilegate_cache_notify_rows', rel);
  FOR child IN SELECT i.inhrelid::regclass FROM pg_catalog.pg_inherits i WHERE i.inhparent = rel LOOP
    PERFORM tilegate_cache.watch(child);
  END LOOP;
END
$$;
COMMENT ON FUNCTION tilegate_cache.watch(regclass) IS 'Notify tilegate of every change to this table (and its partitions); run as the table owner';

CREATE OR REPLACE FUNCTION tilegate_cache.unwatch(rel regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
  child regclass;
BEGIN
  EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS tilegate_cache_notify ON %s', rel);
  -- A partition's clone of its parent's row trigger went with the parent's.
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = rel AND t.tgname = 'tilegate_cache_notify_rows' AND t.tgparentid <> 0) THEN
    EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS tilegate_cache_notify_rows ON %s', rel);
  END IF;
  FOR child IN SELECT i.inhrelid::regclass FROM pg_catalog.pg_inherits i WHERE i.inhparent = rel LOOP
    PERFORM tilegate_cache.unwatch(child);
  END LOOP;
END
$$;
COMMENT ON FUNCTION tilegate_cache.unwatch(regclass) IS 'Stop notifying tilegate of changes to this table (and its partitions)';

-- Every table in the schema with a geometry or geography column (by type name, so it works
-- whichever schema PostGIS is in). Partitions are reached through their parent. Returns what it watched.
CREATE OR REPLACE FUNCTION tilegate_cache.watch_schema(schema_name name) RETURNS SETOF regclass
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rel regclass;
BEGIN
  FOR rel IN
    SELECT c.oid::regclass FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = schema_name AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND EXISTS (
        SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          AND t.typname IN ('geometry', 'geography'))
    ORDER BY c.relname
  LOOP
    PERFORM tilegate_cache.watch(rel);
    RETURN NEXT rel;
  END LOOP;
END
$$;
COMMENT ON FUNCTION tilegate_cache.watch_schema(name) IS 'watch() every table with a geometry or geography column in the schema';

-- ddl_command_end fires after every DDL command, DROP included (sql_drop fires just before it for
-- the same DROP, so a second trigger there would only say the same thing twice). Event triggers
-- are for superusers alone: created when this runs as one, otherwise left out with a WARNING.
DO $$
BEGIN
  IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN
    RAISE WARNING 'tilegate_cache: not a superuser, so the DDL event trigger tilegate_cache_ddl was not created; tilegate will count no layer as watched until a superuser runs this script';
  ELSIF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = 'tilegate_cache_ddl') THEN
    CREATE EVENT TRIGGER tilegate_cache_ddl ON ddl_command_end EXECUTE FUNCTION tilegate_cache.notify_ddl();
  END IF;
  -- ALWAYS: DDL run under session_replication_role = replica (DISABLE TRIGGER, a DROP) is heard
  -- too. Running the script again also re-enables it if someone disabled it.
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN
    ALTER EVENT TRIGGER tilegate_cache_ddl ENABLE ALWAYS;
  END IF;
END
$$;

COMMIT;
