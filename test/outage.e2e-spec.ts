import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ClusterDatabase, createDatabaseOn, startThrowawayCluster, ThrowawayCluster } from './support/throwaway-cluster';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { fetchTile } from './support/mvt';
import { startServerProcess } from './support/server-process';
import { TEST_SECRET } from './support/tokens';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fixture = () => readFileSync(join(__dirname, 'fixtures', 'security.sql'), 'utf8');

/**
 * The database going away, on a cluster of this spec's own (the shared one is never restarted):
 * a restart, a stopped server, max_connections reached. The process stays up, the requests
 * involved get 503 + Retry-After, readiness says so, and service resumes by itself.
 */
describe('when the database goes away', () => {
  let cluster: ThrowawayCluster;
  let db: ClusterDatabase;
  let server: TestServer;
  const url = (path: string) => `${server.url}/${path}`;
  const status = async (path: string) => (await fetch(url(path))).status;

  beforeAll(async () => {
    cluster = await startThrowawayCluster({ maxConnections: 12 });
    db = await createDatabaseOn(cluster, fixture());
    server = await startServer(roleSwitching(db, { DbPoolMaxConns: 4, DbTimeout: 2 }));
  });
  afterAll(async () => {
    await server?.close();
    await cluster?.destroy();
  });

  /** Polls until the tile is served again; returns how long that took. */
  async function recovery(): Promise<number> {
    const started = Date.now();
    while ((await status('public.places/0/0/0.pbf')) !== 200) {
      if (Date.now() - started > 15000) throw new Error('not serving again within 15 s');
      await sleep(100);
    }
    return Date.now() - started;
  }

  it('answers 503 while the server is stopped, says not ready, and resumes once it is back', async () => {
    expect(await status('public.places/0/0/0.pbf')).toBe(200);
    await cluster.stop('fast');
    for (const path of ['public.places/0/0/0.pbf', 'index.json', 'public.places.json', 'health/ready']) {
      const response = await fetch(url(path));
      expect({ path, status: response.status }).toEqual({ path, status: 503 });
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(Object.keys(await response.json()).sort()).toEqual(['code', 'message']);
    }
    expect(await status('health')).toBe(200);
    await cluster.start();
    expect(await recovery()).toBeLessThan(5000);
    expect(await status('health/ready')).toBe(200);
  });

  it('rides out a restart under load', async () => {
    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      while (!stop) statuses.push(await status('public.places/0/0/0.pbf').catch(() => 0));
    })();
    await sleep(300);
    await cluster.restart();
    await recovery();
    stop = true;
    await load;
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(200);
    expect((await fetchTile(url('public.places/0/0/0.pbf')))['public.places']).toHaveLength(2);
  });

  it('logs an outage once when it starts and once when it ends, however many requests fail', async () => {
    const logged = await startServerProcess({
      DATABASE_URL: db.authenticatorUrl,
      TS_JWTSECRET: TEST_SECRET,
      TS_ANONROLE: db.roles.anon,
      TS_LOGFORMAT: 'json',
      TS_DBTIMEOUT: '2',
    });
    try {
      await cluster.stop('fast');
      for (let i = 0; i < 20; i++) expect((await fetch(`${logged.url}/public.places/0/0/0.pbf`)).status).toBe(503);
      await cluster.start();
      const started = Date.now();
      while ((await fetch(`${logged.url}/public.places/0/0/0.pbf`)).status !== 200) {
        if (Date.now() - started > 15000) throw new Error('not serving again within 15 s');
        await sleep(100);
      }
      const lines = logged.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(lines.filter((l) => /database unreachable/.test(l.msg))).toHaveLength(1);
      expect(lines.filter((l) => /database reachable again/.test(l.msg))).toHaveLength(1);
      // The failed requests are access lines at warn, without a stack.
      const failed = lines.filter((l) => l.context === 'Access' && l.status === 503);
      expect(failed.length).toBeGreaterThanOrEqual(20);
      expect(failed.every((l) => l.level === 'warn' && l.stack === undefined)).toBe(true);
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await logged.stop();
    }
  });

  it('answers 503 while max_connections is reached, and serves again when connections free up', async () => {
    // Let tilegate's own connections go, so it needs new ones; then take every free slot.
    await cluster.terminateBackends(`usename = '${db.roles.authenticator}'`);
    const hogs: Client[] = [];
    for (;;) {
      const client = new Client({ connectionString: db.authenticatorUrl });
      try {
        await client.connect();
        hogs.push(client);
      } catch {
        await client.end().catch(() => undefined);
        break;
      }
    }
    expect(hogs.length).toBeGreaterThan(3);
    try {
      const response = await fetch(url('public.places/0/0/0.pbf'));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await Promise.all(hogs.map((c) => c.end()));
    }
    expect(await recovery()).toBeLessThan(5000);
  });
});
