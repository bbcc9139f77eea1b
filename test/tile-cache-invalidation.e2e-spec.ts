import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { decodeTile } from './support/mvt';
import { getCachedTile } from './support/cached-tile';

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Watched layers: with sql/tile-cache-invalidation.sql installed, tiles are cached with no TTL
 * and a change reaches the next tile within a second; a lost listening connection clears the cache.
 */
describe('tile cache invalidation by triggers', () => {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase('tile-cache.sql');
    await db.admin(INVALIDATION_SQL);
    await db.admin("SELECT tilegate_cache.watch('public.watched_sites')");
    server = await startServer(roleSwitching(db, { TileCacheTTL: 0 }));
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const get = (layer: string) => getCachedTile(server.url, layer);
  /** The listener reads which layers are watched in the background: the first tiles may be `off`. */
  const untilSource = async (layer: string, wanted: string) => {
    for (let i = 0; i < 100; i++) {
      const tile = await get(layer);
      if (tile.source === wanted) return tile;
      await sleep(50);
    }
    throw new Error(`${layer} never answered Tilegate-Cache: ${wanted}`);
  };

  it('caches a watched table without any TTL, and not an unwatched one', async () => {
    await untilSource('public.watched_sites', 'hit');
    expect((await get('public.unwatched_sites')).source).toBe('off');
  });

  it('serves no tile more than a second after the change that altered it became visible', async () => {
    await untilSource('public.watched_sites', 'hit');
    await db.admin("UPDATE public.watched_sites SET name = 'renamed' WHERE id = 1");
    const committed = Date.now();
    let tile = await get('public.watched_sites');
    while (!tile.names.includes('renamed') && Date.now() - committed < 3000) tile = await get('public.watched_sites');
    expect(tile.names).toEqual(['renamed', 'second']);
    expect(Date.now() - committed).toBeLessThan(1000);
    expect((await untilSource('public.watched_sites', 'hit')).names).toEqual(['renamed', 'second']);
  });

  it('invalidates a view over a watched table when the table changes', async () => {
    await untilSource('public.watched_sites_view', 'off'); // views are cached only when marked
    await db.admin("INSERT INTO public.watched_sites VALUES (3, 'third', 'SRID=4326;POINT(3 3)')");
    const committed = Date.now();
    let tile = await get('public.watched_sites');
    while (!tile.names.includes('third') && Date.now() - committed < 3000) tile = await get('public.watched_sites');
    expect(Date.now() - committed).toBeLessThan(1000);
  });

  it('shows a new column at once after DDL', async () => {
    await untilSource('public.watched_sites', 'hit');
    await db.admin("ALTER TABLE public.watched_sites ADD COLUMN kind text DEFAULT 'depot'");
    const started = Date.now();
    let kind: unknown;
    while (kind === undefined && Date.now() - started < 3000) {
      const response = await fetch(`${server.url}/public.watched_sites/0/0/0.pbf`);
      kind = decodeTile(Buffer.from(await response.arrayBuffer()))['public.watched_sites']?.[0]?.properties.kind;
    }
    expect(kind).toBe('depot');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('clears the cache when the listening connection is lost, and caches again once it is back', async () => {
    await untilSource('public.watched_sites', 'hit');
    await db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tilegate-listener' AND datname = current_database()");
    // A change made while nobody listens must not leave a stale tile behind.
    await db.admin("UPDATE public.watched_sites SET name = 'while deaf' WHERE id = 2");
    await sleep(50);
    const next = await get('public.watched_sites');
    expect(next.source).not.toBe('hit');
    expect(next.names).toContain('while deaf');
    expect((await untilSource('public.watched_sites', 'hit')).names).toContain('while deaf');
  });

  it('hears DDL run under session_replication_role = replica (the event trigger is ENABLE ALWAYS)', async () => {
    await untilSource('public.watched_sites', 'hit');
    await db.admin('SET session_replication_role = replica; ALTER TABLE public.watched_sites DISABLE TRIGGER tilegate_cache_notify');
    try {
      // No table trigger fires now: only the DDL notification can tell the layer is no longer watched.
      await db.admin("UPDATE public.watched_sites SET name = 'after replica ddl' WHERE id = 1");
      const committed = Date.now();
      let tile = await get('public.watched_sites');
      while (!tile.names.includes('after replica ddl') && Date.now() - committed < 6000) tile = await get('public.watched_sites');
      expect(tile.names).toContain('after replica ddl');
      expect(Date.now() - committed).toBeLessThan(1000);
    } finally {
      await db.admin("SELECT tilegate_cache.watch('public.watched_sites')");
    }
  });
});
