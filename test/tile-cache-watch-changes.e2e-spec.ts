import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { decodeTile } from './support/mvt';

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A layer whose watch changes (watched, then not, or back) with TileCacheTTL > 0: tiles cached
 * under the old rule must not outlive it. From an attacker's review of issue 16: a tile stored as
 * "until a change" just before the triggers went was served for ever, and one stored with the TTL
 * while the listener reconnected was served for the whole TTL after a change.
 */
describe('tile cache: a layer whose watch changes (TileCacheTTL = 30)', () => {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase('tile-cache.sql');
    await db.admin(INVALIDATION_SQL);
    await db.admin("SELECT tilegate_cache.watch('public.watched_sites')");
    server = await startServer(roleSwitching(db, { TileCacheTTL: 30 }));
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const get = async () => {
    const response = await fetch(`${server.url}/public.watched_sites/0/0/0.pbf`);
    const features = decodeTile(Buffer.from(await response.arrayBuffer()))['public.watched_sites'] ?? [];
    return { source: response.headers.get('tilegate-cache'), names: features.map((f) => String(f.properties.name)).sort() };
  };
  const until = async (what: string, ok: (tile: Awaited<ReturnType<typeof get>>) => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const tile = await get();
      if (ok(tile)) return tile;
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(tile)} after ${ms} ms`);
      await sleep(20);
    }
  };
  const rename = async (id: number, name: string) => {
    await db.admin(`UPDATE public.watched_sites SET name = '${name}' WHERE id = ${id}`);
    return Date.now();
  };

  it('after the listener reconnects, a change is on the next tiles within a second, though tiles were cached with the TTL meanwhile', async () => {
    await until('cached', (t) => t.source === 'hit', 5000);
    await db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tilegate-listener' AND datname = current_database()");
    // Not listening: the layer is cached by TileCacheTTL.
    await until('rendered after the listener was lost', (t) => t.source === 'miss', 2000);
    const committed = await rename(1, 'while reconnecting');
    await until('the change', (t) => t.names.includes('while reconnecting'), 3000);
    expect(Date.now() - committed).toBeLessThan(1000);
  });

  it('a layer whose triggers went unheard (event trigger disabled) is dropped once the watch is read again, not kept for ever', async () => {
    await until('cached', (t) => t.source === 'hit', 5000);
    // ALTER EVENT TRIGGER fires no event trigger, and with it disabled dropping the table's
    // triggers is heard by nobody: only the periodic read of the watch state (every 5 s) tells.
    await db.admin(`ALTER EVENT TRIGGER tilegate_cache_ddl DISABLE;
      DROP TRIGGER tilegate_cache_notify ON public.watched_sites; DROP TRIGGER tilegate_cache_notify_rows ON public.watched_sites`);
    try {
      await rename(2, 'unheard');
      // Within the periodic read and then the TTL of what is cached after it, not for ever.
      await until('the change', (t) => t.names.includes('unheard'), 8000);
    } finally {
      await db.admin("ALTER EVENT TRIGGER tilegate_cache_ddl ENABLE ALWAYS; SELECT tilegate_cache.watch('public.watched_sites')");
    }
  });
});
