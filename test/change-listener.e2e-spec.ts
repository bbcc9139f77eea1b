import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ChangeListener } from '../apps/tilegate/src/cache/change-listener';
import { ddlTriggerInstalled, outdatedWatches, watchState } from '../apps/tilegate/src/cache/watch-state';
import { openNotificationConnection } from '../libs/database/src/notification-connection';
import { withClient } from '../scripts/lib/pg-admin';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startThrowawayCluster, ThrowawayCluster } from './support/throwaway-cluster';

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');

interface Recorded {
  at: number;
  event: string;
  oids?: number[];
  lsn?: string;
}

/** A listener as the server would make one, recording what it says and when. */
function listen(url: string) {
  const events: Recorded[] = [];
  const warnings: string[] = [];
  const listener = new ChangeListener((handlers) => openNotificationConnection(url, handlers), { warn: (_o, msg) => warnings.push(msg) });
  listener.on('tables', (oids, lsn) => events.push({ at: Date.now(), event: 'tables', oids, lsn }));
  listener.on('ddl', (lsn) => events.push({ at: Date.now(), event: 'ddl', lsn }));
  listener.on('lost', () => events.push({ at: Date.now(), event: 'lost' }));
  listener.on('listening', () => events.push({ at: Date.now(), event: 'listening' }));
  const next = async (event: string, after: number, withinMs: number): Promise<Recorded | undefined> => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const found = events.find((e) => e.event === event && e.at >= after);
      if (found || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  listener.start();
  return { listener, events, warnings, next };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('change listener (sql/tile-cache-invalidation.sql)', () => {
  let db: TestDatabase;
  let oid: Record<string, number>;
  let heard: ReturnType<typeof listen>;

  beforeAll(async () => {
    db = await createTestDatabase('change-listener.sql');
    await db.admin(INVALIDATION_SQL);
    // Idempotent: a second run changes nothing and fails nothing.
    await db.admin(INVALIDATION_SQL);
    await db.admin(`SELECT tilegate_cache.watch('public.watched_places'); SELECT tilegate_cache.watch('public.regions')`);
    const rows = await db.admin<{ relname: string; oid: string }>(`SELECT relname, oid::int8 AS oid FROM pg_class WHERE relnamespace = 'public'::regnamespace`);
    oid = Object.fromEntries(rows.map((r) => [r.relname, Number(r.oid)]));
    heard = listen(db.authenticatorUrl);
    expect(await heard.next('listening', 0, 5000)).toBeDefined();
  });

  afterAll(async () => {
    await heard?.listener.close();
    await db?.drop();
  });

  it('hears a committed UPDATE within a second, with the WAL position read after it', async () => {
    const [{ before }] = await db.admin<{ before: string }>(`SELECT pg_current_wal_insert_lsn()::text AS before`);
    const started = Date.now();
    await db.admin(`UPDATE public.watched_places SET name = 'Londres' WHERE id = 1`);
    const event = await heard.next('tables', started, 1000);
    expect(event?.oids).toEqual([oid.watched_places]);
    expect(event!.at - started).toBeLessThan(1000);
    // The UPDATE and its commit wrote WAL: a position from before them would be no use to a replica.
    const [{ after }] = await db.admin<{ after: boolean }>(`SELECT '${event!.lsn}'::pg_lsn > '${before}'::pg_lsn AS after`);
    expect(after).toBe(true);
  });

  it('hears nothing of a rolled-back UPDATE, or of an unwatched table', async () => {
    const started = Date.now();
    await withClient(db.adminUrl, async (c) => {
      await c.query('BEGIN');
      await c.query(`UPDATE public.watched_places SET name = 'nowhere'`);
      await c.query('ROLLBACK');
      await c.query(`UPDATE public.unwatched_places SET name = 'Poneke'`);
    });
    await sleep(500);
    expect(heard.events.filter((e) => e.at >= started)).toEqual([]);
  });

  it('hears a TRUNCATE', async () => {
    const started = Date.now();
    await db.admin(`TRUNCATE public.watched_places`);
    expect((await heard.next('tables', started, 1000))?.oids).toEqual([oid.watched_places]);
  });

  it('coalesces changes to several tables in one statement burst into one event', async () => {
    const started = Date.now();
    await db.admin(`INSERT INTO public.regions VALUES (5, NULL); INSERT INTO public.regions_high VALUES (150, NULL); INSERT INTO public.watched_places VALUES (3, 'Rome', NULL)`);
    const event = await heard.next('tables', started, 1000);
    expect(event?.oids).toEqual([oid.watched_places, oid.regions, oid.regions_high].sort((a, b) => a - b));
  });

  it('hears DDL', async () => {
    const started = Date.now();
    await db.admin(`ALTER TABLE public.unwatched_places ADD COLUMN note text`);
    const event = await heard.next('ddl', started, 1000);
    expect(event?.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
  });

  it('says which layers are watched, and by which tables, as the login role', async () => {
    const asLogin = new Client({ connectionString: db.authenticatorUrl });
    await asLogin.connect();
    try {
      // What CatalogReader does: the login role, search_path = pg_catalog.
      await asLogin.query(`SET search_path = pg_catalog`);
      const runQuery = async (text: string, values?: unknown[]) => (await asLogin.query(text, values)).rows;
      const names = ['watched_places', 'unwatched_places', 'watched_view', 'view_of_view', 'mixed_view', 'clock_view', 'places_matview', 'regions'];
      const state = await watchState(runQuery, [...names.map((n) => oid[n]), 4_000_000_000]);
      const byName = Object.fromEntries(names.map((n) => [n, state.get(oid[n])]));
      expect(byName).toEqual({
        watched_places: { watched: true, baseTables: [oid.watched_places] },
        unwatched_places: { watched: false, baseTables: [oid.unwatched_places] },
        watched_view: { watched: true, baseTables: [oid.watched_places] },
        view_of_view: { watched: true, baseTables: [oid.watched_places] },
        mixed_view: { watched: false, baseTables: [oid.watched_places, oid.unwatched_places].sort((a, b) => a - b) },
        clock_view: { watched: false, baseTables: [oid.watched_places] },
        places_matview: { watched: false, baseTables: [] },
        regions: { watched: true, baseTables: [oid.regions, oid.regions_low, oid.regions_high].sort((a, b) => a - b) },
      });
      expect(state.get(4_000_000_000)).toEqual({ watched: false, baseTables: [] });
      expect(await ddlTriggerInstalled(runQuery)).toBe(true);

      // A disabled trigger, or no event trigger, is not watched.
      await db.admin(`ALTER TABLE public.watched_places DISABLE TRIGGER tilegate_cache_notify`);
      expect((await watchState(runQuery, [oid.watched_places])).get(oid.watched_places)?.watched).toBe(false);
      // Enabled for 'origin' only, the statement trigger would not fire under session_replication_role = replica.
      await db.admin(`ALTER TABLE public.watched_places ENABLE TRIGGER tilegate_cache_notify`);
      expect((await watchState(runQuery, [oid.watched_places])).get(oid.watched_places)?.watched).toBe(false);
      // Without the row trigger, logical replication's changes would go unheard.
      await db.admin(`SELECT tilegate_cache.watch('public.watched_places'); ALTER TABLE public.watched_places DISABLE TRIGGER tilegate_cache_notify_rows`);
      expect((await watchState(runQuery, [oid.watched_places])).get(oid.watched_places)?.watched).toBe(false);
      // Watched by the script before it had the row trigger: named for the log, so the operator runs watch() again.
      expect(await outdatedWatches(runQuery)).toEqual([]);
      await db.admin(`DROP TRIGGER tilegate_cache_notify_rows ON public.watched_places`);
      expect(await outdatedWatches(runQuery)).toEqual(['public.watched_places']);
      await db.admin(`SELECT tilegate_cache.watch('public.watched_places'); ALTER EVENT TRIGGER tilegate_cache_ddl DISABLE`);
      expect(await ddlTriggerInstalled(runQuery)).toBe(false);
      expect((await watchState(runQuery, [oid.watched_places])).get(oid.watched_places)?.watched).toBe(false);
      // Enabled for 'origin' only, it would miss DDL run under session_replication_role = replica.
      await db.admin(`ALTER EVENT TRIGGER tilegate_cache_ddl ENABLE`);
      expect((await watchState(runQuery, [oid.watched_places])).get(oid.watched_places)?.watched).toBe(false);
      await db.admin(`ALTER EVENT TRIGGER tilegate_cache_ddl ENABLE ALWAYS`);
      expect((await watchState(runQuery, [oid.watched_places])).get(oid.watched_places)?.watched).toBe(true);
    } finally {
      await asLogin.end();
    }
  });

  it('watch_schema watches the spatial tables of a schema; watch runs with the caller\'s rights', async () => {
    await db.admin(`CREATE SCHEMA extra; CREATE TABLE extra.roads (id int, geom geometry); CREATE TABLE extra.notes (id int, body text);
      CREATE TABLE extra.areas (id int, g geography); CREATE VIEW extra.road_view AS SELECT * FROM extra.roads`);
    const rows = await db.admin<{ rel: string }>(`SELECT rel::text FROM tilegate_cache.watch_schema('extra') AS rel`);
    expect(rows.map((r) => r.rel)).toEqual(['extra.areas', 'extra.roads']);
    const triggers = await db.admin<{ rel: string }>(`SELECT tgrelid::regclass::text AS rel FROM pg_trigger WHERE tgname = 'tilegate_cache_notify' AND tgrelid::regclass::text LIKE 'extra.%' ORDER BY 1`);
    expect(triggers.map((r) => r.rel)).toEqual(['extra.areas', 'extra.roads']);
    // The login role owns nothing: it cannot make (or unmake) a table watched.
    await expect(withClient(db.authenticatorUrl, (c) => c.query(`SELECT tilegate_cache.unwatch('public.watched_places')`))).rejects.toThrow(/must be owner/);
  });

  it('says lost when its backend is terminated, listens again, and hears changes after that', async () => {
    const started = Date.now();
    const pid = heard.listener.processId;
    expect(pid).toBeDefined();
    await db.admin(`SELECT pg_terminate_backend(${pid})`);
    expect(await heard.next('lost', started, 1500)).toBeDefined();
    const back = await heard.next('listening', started, 3000);
    expect(back).toBeDefined();
    expect(heard.listener.processId).not.toBe(pid);
    await db.admin(`UPDATE public.watched_places SET name = name`);
    expect((await heard.next('tables', back!.at, 1000))?.oids).toEqual([oid.watched_places]);
  });
});

describe('change listener against a server that goes away', () => {
  let cluster: ThrowawayCluster;

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('says lost within a second when the server hangs, and within 1.5 s when it stops', async () => {
    const heard = listen(cluster.adminUrl);
    try {
      expect(await heard.next('listening', 0, 5000)).toBeDefined();
      // A hung backend (no FIN, no error: what a dead host or a partition looks like) is found by the ping.
      const pid = heard.listener.processId!;
      process.kill(pid, 'SIGSTOP');
      let started = Date.now();
      try {
        const lost = await heard.next('lost', started, 1500);
        expect(lost).toBeDefined();
        expect(lost!.at - started).toBeLessThan(1100);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      const back = await heard.next('listening', started, 3000);
      expect(back).toBeDefined();

      started = Date.now();
      await cluster.stop('fast');
      const lost = await heard.next('lost', started, 1500);
      expect(lost).toBeDefined();
      expect(heard.events.filter((e) => e.at >= started && e.event === 'listening')).toEqual([]);
    } finally {
      await heard.listener.close();
    }
  });
});
