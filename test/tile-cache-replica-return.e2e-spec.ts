import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadReplicas } from '../libs/database/src';
import { withClient } from '../scripts/lib/pg-admin';
import { ClusterDatabase, createDatabaseOn, ThrowawayCluster } from './support/throwaway-cluster';
import { startReplicationPrimary, startStreamingReplica, StreamingReplica } from './support/streaming-replica';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { CachedTileAnswer, getCachedTile } from './support/cached-tile';

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const FIXTURE = `
CREATE EXTENSION postgis;
CREATE TABLE public.sites (id integer PRIMARY KEY, name text, geom geometry(Point, 4326));
INSERT INTO public.sites VALUES (1, 'before', 'SRID=4326;POINT(1 1)');
CREATE TABLE public.heartbeat (n bigint);
INSERT INTO public.heartbeat VALUES (0);
GRANT SELECT ON public.sites TO {{anon}};
`;

/**
 * A read replica that was out of use (lagging) when a change was seen, and comes back into use
 * still behind it: it must not render, and the cache keep, tiles from before the change. From an
 * attacker's review of issue 16: the wait for replicas to replay a change ended at once for a
 * replica out of use, the cache's second invalidation was past, and the replica came back with
 * its lag within DbReadMaxLagSeconds but before the change: its stale tile was kept for good.
 */
describe('tile cache with a read replica that comes back behind a change', () => {
  let primary: ThrowawayCluster;
  let replica: StreamingReplica;
  let db: ClusterDatabase;
  let server: TestServer;
  let beating: NodeJS.Timeout | undefined;
  const usable = () => server.app.get(ReadReplicas).status()[0].usable;
  const get = () => getCachedTile(server.url, 'public.sites');
  // ALTER SYSTEM cannot share a message (an implicit transaction) with another statement.
  const applyDelay = (value: string) =>
    withClient(replica.adminUrl, async (c) => {
      await c.query(`ALTER SYSTEM SET recovery_min_apply_delay = '${value}'`);
      await c.query('SELECT pg_reload_conf()');
    });
  const waitFor = async (what: string, condition: () => boolean | Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`not ${what} within ${ms} ms`);
      await sleep(50);
    }
  };

  beforeAll(async () => {
    primary = await startReplicationPrimary();
    db = await createDatabaseOn(primary, FIXTURE);
    await db.admin(INVALIDATION_SQL);
    await db.admin("SELECT tilegate_cache.watch('public.sites')");
    replica = await startStreamingReplica(primary);
    server = await startServer(roleSwitching(db, { DbReadConnection: [replica.urlFor(db.authenticatorUrl)], DbReadMaxLagSeconds: 3, TileCacheTTL: 0 }));
    // Commits all the time, as a live primary makes them: replica lag is measured against them.
    beating = setInterval(() => void db.admin('UPDATE public.heartbeat SET n = n + 1').catch(() => undefined), 100);
  }, 60_000);
  afterAll(async () => {
    clearInterval(beating);
    await server?.close();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('keeps the replica out of use until it has replayed the change, so no tile from before it is cached', async () => {
    await waitFor('the replica in use', usable, 10_000);
    await waitFor('the tile cached', async () => (await get()).source === 'hit', 10_000);

    // The replica applies every commit 6 s late: soon more than DbReadMaxLagSeconds behind.
    await applyDelay('6s');
    await waitFor('the replica out of use', () => !usable(), 15_000);
    await db.admin("UPDATE public.sites SET name = 'after' WHERE id = 1");
    const committed = Date.now();
    // 2.5 s late: within DbReadMaxLagSeconds, but the UPDATE is replayed only 2.5 s after its commit.
    await applyDelay('2500ms');
    // No tile is asked until the replica may be read again (it was, before the fix, within 0.3 s).
    await waitFor('the replica in use, or 4 s', () => usable() || Date.now() - committed > 4000, 6000);

    const seen: Array<CachedTileAnswer & { atMs: number }> = [];
    while (Date.now() - committed < 6000) {
      seen.push({ ...(await get()), atMs: Date.now() - committed });
      await sleep(50);
    }
    const stale = seen.filter((tile) => tile.atMs > 1000 && !tile.names.includes('after'));
    expect(stale).toEqual([]);
    // And the replica is back in use once it has replayed the change.
    await applyDelay('0');
    await waitFor('the replica back in use', usable, 10_000);
    expect((await get()).names).toEqual(['after']);
  }, 60_000);
});
