import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { fetchTile } from './support/mvt';
import { abandonAfter } from './support/abandoned-request';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Faults a production deployment meets every month, on the shared cluster (nothing here restarts
 * it: terminating our own backends and dropping our own clients is enough). Restarts and
 * max_connections are in outage.e2e-spec.ts, on a cluster of its own.
 */
describe('reliability', () => {
  const ctx = serveTestDatabase('security.sql', (db) => roleSwitching(db, { DbPoolMaxConns: 4, DbTimeout: 30 }));
  const url = (path: string) => `${ctx.server.url}/${path}`;
  const ourBackends = (state = 'active') =>
    ctx.db.admin<{ pid: number; query: string }>(
      `SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND usename = '${ctx.db.roles.authenticator}' AND state = '${state}'`,
    );

  it('answers 503 with Retry-After when its backend is terminated mid-query, and goes on serving', async () => {
    const slow = fetch(url('public.slow/0/0/0.pbf?seconds=10'));
    await waitFor(async () => (await ourBackends()).some((b) => b.query.includes('"slow"')));
    await ctx.db.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${ctx.db.roles.authenticator}' AND datname = current_database()`);
    const response = await slow;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Object.keys(await response.json()).sort()).toEqual(['code', 'message']);
    expect((await fetchTile(url('public.places/0/0/0.pbf')))['public.places']).toHaveLength(2);
  });

  it('drops idle connections that were terminated, and serves the next requests on new ones', async () => {
    await Promise.all([1, 2, 3, 4].map(() => fetchTile(url('public.places/0/0/0.pbf'))));
    await ctx.db.admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${ctx.db.roles.authenticator}' AND datname = current_database()`);
    await sleep(200);
    const statuses = await Promise.all([1, 2, 3, 4, 5, 6].map(async () => (await fetch(url('public.places/0/0/0.pbf'))).status));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await fetch(url('health/ready'))).status).toBe(200);
  });

  it('cancels the statements of requests whose clients went away, and serves a normal tile at once', async () => {
    const abandoned = [1, 2, 3, 4].map(() => abandonAfter(url('public.slow/0/0/0.pbf?seconds=20'), 300));
    await waitFor(async () => (await ourBackends()).filter((b) => b.query.includes('"slow"')).length === 4);
    await Promise.all(abandoned);
    const goneAt = Date.now();
    await waitFor(async () => (await ourBackends()).filter((b) => b.query.includes('"slow"')).length === 0, 1000);
    expect(Date.now() - goneAt).toBeLessThan(1000);
    const started = Date.now();
    expect((await fetchTile(url('public.places/0/0/0.pbf')))['public.places']).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1000);
    // The connections went back to the pool clean: idle, no transaction open.
    await waitFor(async () => (await ourBackends('idle in transaction')).length === 0 && (await ourBackends('idle in transaction (aborted)')).length === 0, 1000);
  });
});


async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}
