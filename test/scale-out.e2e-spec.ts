import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ClusterDatabase, createDatabaseOn, ThrowawayCluster } from './support/throwaway-cluster';
import { startReplicationPrimary, startStreamingReplica, StreamingReplica } from './support/streaming-replica';
import { RedisServer, startRedisServer } from './support/redis-server';
import { ServerProcess, startServerProcess } from './support/server-process';
import { bearer, token } from './support/tokens';
import { writeReplicaConfig } from './support/scale-out-config';
import { Answer, answerOf, expectedAnswer, Identity } from './support/tile-oracle';

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');
/** Plain tables with column grants by role, and one under RLS keyed by a claim (see the file). */
const FIXTURE = readFileSync(join(__dirname, 'fixtures', 'scale-out.sql'), 'utf8');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const LAYERS = ['public.sites', 'public.assets', 'public.regional_sites'];
const TILES = ['0/0/0', '1/0/0', '1/1/0', '1/0/1', '1/1/1', '2/1/1', '2/2/1'];

/**
 * Scale-out, as users run it: two tilegate processes (the built dist) sharing one Redis, writing
 * to a primary and reading a streaming replica of it, invalidation triggers installed. What one
 * renders the other serves from Redis; a change or a REVOKE on the primary reaches both at once;
 * no response across both ever differs from what PostgreSQL answers that identity; and Redis
 * going away makes them slower, never wrong.
 */
describe('scale-out: two tilegate processes, one Redis, a primary and a streaming replica', () => {
  let primary: ThrowawayCluster;
  let replica: StreamingReplica;
  let db: ClusterDatabase;
  let redis: RedisServer;
  let configDir: string;
  let oracle: Client;
  const servers: ServerProcess[] = [];
  let identities: Identity[];
  const headersOf = (identity: Identity) => (identity.claims ? bearer(token(identity.claims)) : {});
  const identity = (name: string) => identities.find((i) => i.name === name)!;

  async function startTilegate(name: string, extra: string[] = []): Promise<ServerProcess> {
    const file = writeReplicaConfig(join(configDir, `${name}.toml`), { db, replica, redis, extra });
    const server = await startServerProcess({}, '/health/ready', ['-c', file]);
    servers.push(server);
    return server;
  }
  const a = () => servers[0];
  const b = () => servers[1];

  async function get(server: ServerProcess, layer: string, tile: string, who: Identity) {
    const response = await fetch(`${server.url}/${layer}/${tile}.pbf`, { headers: headersOf(who) });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, source: response.headers.get('tilegate-cache'), bytes, answer: answerOf(response.status, bytes, layer) };
  }
  const names = (answer: Answer) => answer.features.map((f) => JSON.parse(f)[1].find(([k]: [string]) => k === 'name')?.[1]).sort();

  /** The watch state of a layer is read in the background: its first tiles are `off`. */
  async function untilCached(server: ServerProcess, layer: string, who: Identity): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { source } = await get(server, layer, `8/${i}/0`, who);
      if (source === 'miss' || source === 'hit' || source === 'hit-shared') return;
      await sleep(50);
    }
    throw new Error(`${layer} was never cached by ${server.url}`);
  }

  beforeAll(async () => {
    primary = await startReplicationPrimary();
    db = await createDatabaseOn(primary, FIXTURE);
    await db.admin(INVALIDATION_SQL);
    for (const layer of LAYERS) await db.admin(`SELECT tilegate_cache.watch('${layer}')`);
    replica = await startStreamingReplica(primary);
    redis = await startRedisServer();
    configDir = mkdtempSync(join(tmpdir(), 'tilegate-scale-out-'));
    identities = [
      { name: 'anonymous', role: db.roles.anon, claims: null },
      { name: 'member', role: db.roles.member, claims: { role: db.roles.member, sub: 'm-1' } },
      { name: 'analyst', role: db.roles.analyst, claims: { role: db.roles.analyst, sub: 'a-1' } },
      { name: 'north', role: db.roles.regional, claims: { role: db.roles.regional, region: 'north', sub: 'r-1' } },
      { name: 'south', role: db.roles.regional, claims: { role: db.roles.regional, region: 'south', sub: 'r-2' } },
    ];
    await Promise.all([startTilegate('a'), startTilegate('b')]);
    oracle = new Client({ connectionString: db.adminUrl });
    await oracle.connect();
    for (const server of servers) {
      await untilCached(server, 'public.sites', identity('member'));
      await untilCached(server, 'public.assets', identity('analyst'));
      await untilCached(server, 'public.regional_sites', identity('north'));
    }
  });
  afterAll(async () => {
    await oracle?.end();
    await Promise.all(servers.map((s) => s.stop()));
    await redis?.stop();
    await replica?.destroy();
    await db?.drop();
    await primary?.destroy();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('serves from Redis on B the tile A rendered, byte for byte', async () => {
    const member = identity('member');
    const rendered = await get(a(), 'public.sites', '1/0/0', member);
    expect(rendered.source).toBe('miss');
    expect(names(rendered.answer)).toEqual(['nw one', 'nw two']);
    const shared = await get(b(), 'public.sites', '1/0/0', member);
    expect(shared.source).toBe('hit-shared');
    expect(shared.bytes.equals(rendered.bytes)).toBe(true);
    expect((await get(b(), 'public.sites', '1/0/0', member)).source).toBe('hit');
    expect((await get(a(), 'public.sites', '1/0/0', member)).source).toBe('hit');
  });

  it('an UPDATE on the primary reaches both within a second of its commit', async () => {
    const member = identity('member');
    for (const server of servers) expect((await get(server, 'public.sites', '1/0/0', member)).source).toBe('hit');
    await db.admin(`UPDATE public.sites SET name = 'renamed' WHERE id = 1`);
    const committed = Date.now();
    const until = async (server: ServerProcess) => {
      for (;;) {
        const tile = await get(server, 'public.sites', '1/0/0', member);
        if (names(tile.answer).includes('renamed')) return Date.now() - committed;
        if (Date.now() - committed > 3000) return Infinity;
      }
    };
    const [onA, onB] = await Promise.all([until(a()), until(b())]);
    expect({ onA: onA < 1000, onB: onB < 1000 }).toEqual({ onA: true, onB: true });
  });

  it('a REVOKE on the primary applies to the next request on both, though both had the tile cached', async () => {
    const analyst = identity('analyst');
    await get(a(), 'public.assets', '1/0/0', analyst);
    await get(b(), 'public.assets', '1/0/0', analyst);
    for (const server of servers) {
      const cached = await get(server, 'public.assets', '1/0/0', analyst);
      expect(cached.source).toBe('hit');
      expect(cached.answer.features).toHaveLength(1);
    }
    await db.admin(`REVOKE SELECT ON public.assets FROM ${db.roles.analyst}`);
    expect((await get(a(), 'public.assets', '1/0/0', analyst)).status).toBe(404);
    expect((await get(b(), 'public.assets', '1/0/0', analyst)).status).toBe(404);
    // Another role keeps what it may read.
    expect((await get(b(), 'public.assets', '1/0/0', identity('member'))).answer.features).toHaveLength(1);
    await db.admin(`GRANT SELECT ON public.assets TO ${db.roles.analyst}`);
    expect((await get(b(), 'public.assets', '1/0/0', analyst)).answer.features).toHaveLength(1);
    expect((await get(a(), 'public.assets', '1/0/0', analyst)).answer.features).toHaveLength(1);
  });

  /** Every (identity, layer, tile) as PostgreSQL answers it now. */
  async function expectations(): Promise<Map<string, Answer>> {
    await replica.caughtUp();
    const expected = new Map<string, Answer>();
    for (const who of identities) for (const layer of LAYERS) for (const tile of TILES) expected.set(`${who.name} ${layer} ${tile}`, await expectedAnswer(oracle, who, layer, tile));
    return expected;
  }

  /** `count` requests, `inFlight` at a time, to a random server as a random identity for a random tile; compared with `expected`. */
  async function mixed(count: number, inFlight: number, expected: Map<string, Answer>, seed: number) {
    let state = seed;
    const random = (n: number) => {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
      return Math.abs(state) % n;
    };
    const sources: Record<string, number> = {};
    const mismatches: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        const [server, who, layer, tile] = [servers[random(2)], identities[random(identities.length)], LAYERS[random(LAYERS.length)], TILES[random(TILES.length)]];
        const got = await get(server, layer, tile, who);
        const key = `${who.name} ${layer} ${tile}`;
        const source = got.status === 200 ? (got.source ?? 'none') : String(got.status);
        sources[source] = (sources[source] ?? 0) + 1;
        if (JSON.stringify(got.answer) !== JSON.stringify(expected.get(key))) mismatches.push(`${key} on ${server === a() ? 'A' : 'B'} (${got.source}): ${JSON.stringify(got.answer)} != ${JSON.stringify(expected.get(key))}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return { sources, mismatches };
  }

  it('2,000 mixed-role requests across both: none differs from what PostgreSQL answers that identity', async () => {
    const expected = await expectations();
    // The oracle must be able to tell identities apart, or the comparison proves nothing.
    expect(new Set([...expected.values()].map((e) => JSON.stringify(e))).size).toBeGreaterThan(10);
    const { sources, mismatches } = await mixed(2000, 16, expected, 20240616);
    process.stdout.write(`scale-out mixed run: ${JSON.stringify(sources)}\n`);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(sources.hit).toBeGreaterThan(0);
    expect(sources['hit-shared']).toBeGreaterThan(0);
  });

  it('Redis killed: both answer correctly without it; restarted: hit-shared comes back', async () => {
    await redis.kill();
    await db.admin(`UPDATE public.sites SET name = 'while redis is down' WHERE id = 3`);
    await sleep(1000);
    const expected = await expectations();
    const { sources, mismatches } = await mixed(300, 16, expected, 7);
    process.stdout.write(`scale-out without Redis: ${JSON.stringify(sources)}\n`);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(sources['hit-shared']).toBeUndefined();
    expect(Object.keys(sources).filter((s) => /^5/.test(s))).toEqual([]);

    await redis.restart();
    const member = identity('member');
    const started = Date.now();
    for (let i = 0; ; i++) {
      await get(a(), 'public.sites', `9/${i}/0`, member);
      if ((await get(b(), 'public.sites', `9/${i}/0`, member)).source === 'hit-shared') break;
      if (Date.now() - started > 20_000) throw new Error('hit-shared did not come back within 20 s of the Redis restart');
      await sleep(100);
    }
  });

  it('a server started while the replica lags a privilege change does not keep the replica\'s answer once it has replayed', async () => {
    // Role membership: no event trigger fires for it, only the privilege stamps see it.
    const north = identity('north');
    await db.admin(`GRANT ${db.roles.analyst} TO ${db.roles.regional}`);
    await replica.caughtUp();
    expect((await get(a(), 'public.assets', '1/0/0', north)).answer.features).toHaveLength(1);
    await replica.pauseReplay();
    let late: ServerProcess | undefined;
    try {
      await db.admin(`REVOKE ${db.roles.analyst} FROM ${db.roles.regional}`);
      // A replica that lags is still read (up to an hour here), as by any server configured so.
      late = await startTilegate('late', ['DbReadMaxLagSeconds = 3600']);
      // Until its tile goes through the cache (the layer's watch state is read in the background).
      for (let i = 0; i < 100; i++) {
        const { status, source } = await get(late, 'public.assets', '1/0/0', north);
        if (status === 404 || source === 'miss' || source === 'hit') break;
        await sleep(50);
      }
    } finally {
      await replica.resumeReplay();
    }
    await replica.caughtUp();
    await sleep(500);
    // What PostgreSQL answers now, on the primary and the replica alike: no membership, no tile.
    expect((await expectedAnswer(oracle, north, 'public.assets', '1/0/0')).status).toBe(404);
    for (const server of [late!, a(), b()]) {
      const { status, source } = await get(server, 'public.assets', '1/0/0', north);
      expect({ server: server.url, status, source }).toEqual({ server: server.url, status: 404, source: null });
    }
  });
});
