import { roleSwitching, serveTestDatabase } from './support/e2e-context';

/**
 * A cached tile is answered while every tile connection is busy: the per-request privilege check
 * has connections of its own (CheckLane), so a hit does not queue behind slow renders.
 */
describe('tile cache: hits while the tile pool is busy', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { DbPoolMaxConns: 1, TileCacheTTL: 60 } as never));
  const tile = (path: string) => fetch(`${ctx.server.url}${path}`).then(async (r) => ({ status: r.status, source: r.headers.get('tilegate-cache'), body: Buffer.from(await r.arrayBuffer()) }));

  beforeAll(async () => {
    await ctx.db.admin(`
      CREATE FUNCTION public.slow_tile(z integer, x integer, y integer) RETURNS bytea LANGUAGE sql VOLATILE
        AS $$ SELECT ''::bytea FROM pg_sleep(3) $$;
      GRANT EXECUTE ON FUNCTION public.slow_tile(integer, integer, integer) TO ${ctx.db.roles.anon}`);
  });

  it('serves a hit at once while the only tile connection renders a slow tile', async () => {
    const path = '/public.places/1/1/0.pbf';
    await tile(path);
    expect((await tile(path)).source).toBe('hit');

    let slowDone = false;
    const slow = tile('/public.slow_tile/0/0/0.pbf').then((r) => ((slowDone = true), r));
    // The pool's one connection is taken once the sleep runs.
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await ctx.db.admin<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tilegate' AND query LIKE '%slow_tile%' AND state = 'active'",
      );
      if (Number(n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const started = Date.now();
    const hit = await tile(path);
    const waited = Date.now() - started;
    expect(hit).toMatchObject({ status: 200, source: 'hit' });
    expect(hit.body.length).toBeGreaterThan(0);
    expect(slowDone).toBe(false);
    expect(waited).toBeLessThan(1500);
    expect((await slow).status).toBe(200);
  });

  it('goes on serving hits after its check connections were terminated', async () => {
    const path = '/public.places/0/0/0.pbf';
    await tile(path);
    await Promise.all([1, 2, 3, 4].map(() => tile(path)));
    const [{ n }] = await ctx.db.admin<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = '${ctx.db.roles.authenticator}'`,
    );
    expect(Number(n)).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The listening connection was terminated too, which clears the cache: misses first.
    expect((await tile(path)).status).toBe(200);
    const after = await Promise.all([1, 2, 3, 4].map(() => tile(path)));
    expect(after.map((r) => `${r.status} ${r.source}`)).toEqual(['200 hit', '200 hit', '200 hit', '200 hit']);
  });
});
