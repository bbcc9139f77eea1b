import { ReadReplicas } from '../libs/database/src';
import { ClusterDatabase, createDatabaseOn, ThrowawayCluster } from './support/throwaway-cluster';
import { startReplicationPrimary, startStreamingReplica, StreamingReplica } from './support/streaming-replica';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { fetchTile } from './support/mvt';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `served_by` tells which server made the tile: pg_is_in_recovery() is true only on the replica. */
const FIXTURE = `
CREATE EXTENSION postgis;
CREATE TABLE public.places (id integer PRIMARY KEY, name text, geom geometry(Point, 4326));
INSERT INTO public.places VALUES (1, 'London', 'SRID=4326;POINT(-0.13 51.5)');
GRANT SELECT ON public.places TO {{anon}};
CREATE FUNCTION public.served_by(z integer, x integer, y integer) RETURNS bytea
LANGUAGE sql STABLE AS $$
  SELECT ST_AsMVT(q, 'public.served_by') FROM (
    SELECT ST_AsMVTGeom(ST_Point(0, 0, 3857), ST_TileEnvelope(z, x, y)) AS geom, pg_is_in_recovery() AS on_replica
  ) q
$$;
-- The same, after half a second: a tile still running when the replica goes away.
CREATE FUNCTION public.slow_served_by(z integer, x integer, y integer) RETURNS bytea
LANGUAGE sql VOLATILE AS $$
  SELECT pg_sleep(0.5);
  SELECT public.served_by(z, x, y);
$$;
`;

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * DbReadConnection against a real streaming replica (pg_basebackup -R of a throwaway primary):
 * reads go to the replica, and to the primary when the replica is down or lags.
 */
describe('read replicas', () => {
  let primary: ThrowawayCluster;
  let replica: StreamingReplica;
  let db: ClusterDatabase;
  /** DbReadMaxLagSeconds = 1: a paused replica is soon skipped. */
  let strict: TestServer;
  /** DbReadMaxLagSeconds = 3600: a paused replica stays in use, so what it serves shows where reads go. */
  let lenient: TestServer;
  const replicasOf = (server: TestServer) => server.app.get(ReadReplicas);
  const usable = (server: TestServer) => replicasOf(server).status()[0].usable;
  const onReplica = async (server: TestServer) => (await fetchTile(`${server.url}/public.served_by/0/0/0.pbf`))['public.served_by'][0].properties.on_replica;
  const placeNames = async (server: TestServer) => (await fetchTile(`${server.url}/public.places/0/0/0.pbf`))['public.places'].map((f) => f.properties.name).sort();
  const layerIds = async (server: TestServer) => Object.keys(await (await fetch(`${server.url}/index.json`)).json()).sort();

  beforeAll(async () => {
    primary = await startReplicationPrimary();
    db = await createDatabaseOn(primary, FIXTURE);
    replica = await startStreamingReplica(primary);
    const replicaUrl = replica.urlFor(db.authenticatorUrl);
    strict = await startServer(roleSwitching(db, { DbReadConnection: [replicaUrl], DbReadMaxLagSeconds: 1, DbTimeout: 3 }));
    lenient = await startServer(roleSwitching(db, { DbReadConnection: [replicaUrl], DbReadMaxLagSeconds: 3600, DbTimeout: 3 }));
  });
  afterAll(async () => {
    await strict?.close();
    await lenient?.close();
    await replica?.destroy();
    await primary?.destroy();
  });
  afterEach(async () => {
    // Each test leaves the replica running, replaying and caught up.
    await replica.start();
    await replica.resumeReplay().catch(() => undefined);
    await replica.caughtUp();
    await until('in use again', () => usable(strict) && usable(lenient));
  });

  it('serves tiles from the replica once it is in use', async () => {
    await until('in use', () => usable(strict));
    const status = replicasOf(strict).status()[0];
    expect(status.url).not.toContain(db.authenticatorPassword);
    expect(status.lagSeconds).toBeLessThanOrEqual(1);
    expect(status.replayLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    for (let i = 0; i < 5; i++) expect(await onReplica(strict)).toBe(true);
  });

  it('reads tiles and the catalog on the replica: a paused replica does not show what the primary has since', async () => {
    await replica.pauseReplay();
    await db.admin(`INSERT INTO public.places VALUES (2, 'Paris', 'SRID=4326;POINT(2.35 48.86)');
      CREATE TABLE public.late (id integer PRIMARY KEY, geom geometry(Point, 4326)); GRANT SELECT ON public.late TO ${db.roles.anon}`);
    // The lenient server keeps reading the replica as it was.
    expect(await placeNames(lenient)).toEqual(['London']);
    expect(await layerIds(lenient)).not.toContain('public.late');
    expect(await onReplica(lenient)).toBe(true);
    // The strict one drops it once it lags more than a second, and reads the primary.
    await until('dropped for its lag', () => !usable(strict), 5000);
    expect(replicasOf(strict).status()[0].lagSeconds ?? Infinity).toBeGreaterThan(1);
    expect(await onReplica(strict)).toBe(false);
    expect(await placeNames(strict)).toEqual(['London', 'Paris']);
    expect(await layerIds(strict)).toContain('public.late');
    // Replay resumed: in use again, and it has the change.
    await replica.resumeReplay();
    await until('in use again', () => usable(strict));
    expect(await onReplica(strict)).toBe(true);
    expect(await placeNames(strict)).toEqual(['London', 'Paris']);
    await replica.caughtUp();
    expect(await layerIds(lenient)).toContain('public.late');
    await db.admin('DELETE FROM public.places WHERE id = 2; DROP TABLE public.late');
  });

  it('serves from the primary, without an error, when the replica stops, and returns to it when it is back', async () => {
    await until('in use', () => usable(strict));
    // A tile running on the replica when it stops (57P01) is made again on the primary, in the same request.
    const inFlight = fetchTile(`${strict.url}/public.slow_served_by/0/0/0.pbf`);
    await sleep(200);
    await replica.stop('fast');
    expect((await inFlight)['public.served_by'][0].properties.on_replica).toBe(false);
    const statuses = await Promise.all(Array.from({ length: 12 }, () => fetch(`${strict.url}/public.served_by/0/0/0.pbf`).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await onReplica(strict)).toBe(false);
    expect(await layerIds(strict)).toContain('public.places');
    expect(usable(strict)).toBe(false);
    // Readiness follows the primary only.
    expect((await fetch(`${strict.url}/health/ready`)).status).toBe(200);
    await replica.start();
    await until('in use again', () => usable(strict));
    expect(await onReplica(strict)).toBe(true);
  });

  it('readsCaughtUpTo waits for the replica to replay the primary position it is given', async () => {
    const replicas = replicasOf(lenient);
    await replica.pauseReplay();
    await db.admin(`UPDATE public.places SET name = 'Londinium' WHERE id = 1`);
    const lsn = await replicas.primaryLsn();
    expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    let resolved = false;
    const caughtUp = replicas.readsCaughtUpTo(lsn).then(() => (resolved = true));
    await sleep(600);
    expect(resolved).toBe(false);
    expect(await placeNames(lenient)).toEqual(['London']);
    await replica.resumeReplay();
    const started = Date.now();
    await caughtUp;
    expect(Date.now() - started).toBeLessThan(1000);
    // What it promises: reads after it see the change.
    expect(await placeNames(lenient)).toEqual(['Londinium']);
    await db.admin(`UPDATE public.places SET name = 'London' WHERE id = 1`);
  });

  it('readsCaughtUpTo gives up after DbReadMaxLagSeconds + 1 s, and never rejects', async () => {
    const replicas = replicasOf(strict);
    await until('in use', () => usable(strict));
    await replica.pauseReplay();
    await db.admin(`UPDATE public.places SET name = 'London' WHERE id = 1`);
    const started = Date.now();
    await replicas.readsCaughtUpTo(await replicas.primaryLsn());
    expect(Date.now() - started).toBeLessThan(2500);
    await expect(replicas.readsCaughtUpTo('not an lsn')).resolves.toBeUndefined();
  });

  it('remembers no malformed position: a replica out of use comes back as before after readsCaughtUpTo was given one first', async () => {
    const fresh = await startServer(roleSwitching(db, { DbReadConnection: [replica.urlFor(db.authenticatorUrl)], DbReadMaxLagSeconds: 1, DbTimeout: 3 }));
    try {
      await until('in use', () => usable(fresh));
      await expect(replicasOf(fresh).readsCaughtUpTo('not an lsn')).resolves.toBeUndefined();
      await replica.pauseReplay();
      await until('out of use', async () => {
        await db.admin(`UPDATE public.places SET name = 'London' WHERE id = 1`);
        return !usable(fresh);
      });
      await replica.resumeReplay();
      await until('back in use', () => usable(fresh), 5000);
    } finally {
      await fresh.close();
    }
  });

  it('does not read from a DbReadConnection that names another database, though it is a replica of the same cluster', async () => {
    const other = await createDatabaseOn(primary, FIXTURE);
    await replica.caughtUp();
    const wrong = new URL(replica.urlFor(db.authenticatorUrl));
    wrong.pathname = `/${other.name}`;
    const misconfigured = await startServer(roleSwitching(db, { DbReadConnection: [wrong.toString()], DbReadMaxLagSeconds: 3600 }));
    try {
      await sleep(1000);
      expect(replicasOf(misconfigured).status()[0].usable).toBe(false);
      // Its tiles, and so the Redis namespace read through the catalog, come from the primary.
      expect(await onReplica(misconfigured)).toBe(false);
    } finally {
      await misconfigured.close();
      await other.drop();
    }
  });
});

describe('without read replicas', () => {
  let primary: ThrowawayCluster;
  let db: ClusterDatabase;
  let server: TestServer;

  beforeAll(async () => {
    primary = await startReplicationPrimary();
    db = await createDatabaseOn(primary, FIXTURE);
    server = await startServer(roleSwitching(db));
  });
  afterAll(async () => {
    await server?.close();
    await primary?.destroy();
  });

  it('asks nothing: readsCaughtUpTo resolves at once, primaryLsn is 0/0, and tiles come from the primary', async () => {
    const replicas = server.app.get(ReadReplicas);
    expect(replicas.status()).toEqual([]);
    expect(await replicas.primaryLsn()).toBe('0/0');
    await replicas.readsCaughtUpTo('FFFFFFFF/FFFFFFFF');
    expect((await fetchTile(`${server.url}/public.served_by/0/0/0.pbf`))['public.served_by'][0].properties.on_replica).toBe(false);
  });
});
