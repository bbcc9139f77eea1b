import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { CachedTileAnswer, getCachedTile, untilTile } from './support/cached-tile';

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');

/**
 * A layer whose watch changes (watched, then not, or back) with TileCacheTTL > 0: tiles cached
 * under the old rule must not outlive it. From an attacker's review of issue 16: a tile stored as
 * "until a change" just before the triggers went was served for ever, and one stored with the TTL
 * while the listener reconnected was served for the whole TTL after a change.
 */
describe('tile cache: a layer whose watch changes (TileCacheTTL = 30)', () => {
  const ctx = serveTestDatabase('tile-cache.sql', (db) => roleSwitching(db, { TileCacheTTL: 30 }));
  // The server reads which layers are watched when first asked for them: installing now is in time.
  beforeAll(async () => {
    await ctx.db.admin(INVALIDATION_SQL);
    await ctx.db.admin("SELECT tilegate_cache.watch('public.watched_sites')");
  });

  const get = () => getCachedTile(ctx.server.url, 'public.watched_sites');
  const until = (what: string, ok: (tile: CachedTileAnswer) => boolean, ms: number) => untilTile(what, get, ok, ms);
  const rename = async (id: number, name: string) => {
    await ctx.db.admin(`UPDATE public.watched_sites SET name = '${name}' WHERE id = ${id}`);
    return Date.now();
  };

  it('after the listener reconnects, a change is on the next tiles within a second, though tiles were cached with the TTL meanwhile', async () => {
    await until('cached', (t) => t.source === 'hit', 5000);
    await ctx.db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tilegate-listener' AND datname = current_database()");
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
    await ctx.db.admin(`ALTER EVENT TRIGGER tilegate_cache_ddl DISABLE;
      DROP TRIGGER tilegate_cache_notify ON public.watched_sites; DROP TRIGGER tilegate_cache_notify_rows ON public.watched_sites`);
    try {
      await rename(2, 'unheard');
      // Within the periodic read and then the TTL of what is cached after it, not for ever.
      await until('the change', (t) => t.names.includes('unheard'), 8000);
    } finally {
      await ctx.db.admin("ALTER EVENT TRIGGER tilegate_cache_ddl ENABLE ALWAYS; SELECT tilegate_cache.watch('public.watched_sites')");
    }
  });
});
