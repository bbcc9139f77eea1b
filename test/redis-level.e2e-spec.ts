import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisLevel } from '../apps/tilegate/src/cache/redis-level';
import { RedisServer, startRedisServer } from './support/redis-server';

// The Redis level of the tile cache against a real redis-server of this test's own: replicas
// share entries, invalidations reach every replica, and a Redis that is down, slow, restarted or
// restored from an old snapshot makes the level step aside (undefined) instead of answering wrong.

const tile = (text: string) => Buffer.from(`tile:${text}`);
const SECRET = 'the-redis-secret-every-replica-shares';
const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Redis level of the tile cache', () => {
  let server: RedisServer;
  const levels: RedisLevel[] = [];
  const warnings: string[] = [];

  /**
   * A replica's level; every replica of one test shares its namespace (its database). Tests that
   * do not time a slow Redis get a generous command timeout, so a busy CI machine cannot fail them.
   */
  async function replica(namespace: string, options: { recoveryDelayMs?: number; commandTimeoutMs?: number; secret?: string } = {}): Promise<RedisLevel> {
    const logger = { warn: (obj: object, msg: string) => warnings.push(`${msg} ${JSON.stringify(obj)}`) };
    const level = new RedisLevel({ url: server.url, namespace, secret: SECRET, logger, commandTimeoutMs: 500, ...options });
    levels.push(level);
    await waitFor('the level to trust Redis', () => level.stats().available);
    return level;
  }

  /** Stores `bytes` as a freshly rendered tile would be: under the tag of the miss before it. */
  async function store(level: RedisLevel, layers: string[], key: string, bytes: Buffer): Promise<void> {
    const lookup = await level.get(layers, key);
    expect(lookup).toEqual({ bytes: null, generations: expect.any(String) });
    await level.set(layers, lookup!.generations, key, bytes, null);
  }

  const bytesOf = async (level: RedisLevel, layers: string[], key: string) => (await level.get(layers, key))?.bytes;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    server.resume();
    await Promise.all(levels.splice(0).map((level) => level.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves a tile stored by one replica to another, and never to another namespace', async () => {
    const ns = randomUUID();
    const [a, b, other] = [await replica(ns), await replica(ns), await replica(randomUUID())];
    await store(a, ['roads'], 'roads/1/0/0', tile('roads'));
    expect(await bytesOf(b, ['roads'], 'roads/1/0/0')).toEqual(tile('roads'));
    expect(await bytesOf(other, ['roads'], 'roads/1/0/0')).toBeNull();
    expect(b.stats()).toMatchObject({ hits: 1, misses: 0, errors: 0, available: true });
    expect(a.stats()).toMatchObject({ hits: 0, misses: 1 });
  });

  it('seals entries: Redis holds no tile in the clear, and a swapped, changed or foreign entry is a miss, never served', async () => {
    const ns = randomUUID();
    const [a, b] = [await replica(ns), await replica(ns)];
    const stranger = await replica(ns, { secret: 'another-deployment-with-another-secret' });
    await store(a, ['sites'], 'sites/role-north', tile('north-only depot'));
    await store(a, ['sites'], 'sites/role-south', tile('south-only depot'));
    // Whoever can reach Redis: reads the values, swaps them, writes its own.
    const attacker = new Redis(server.url);
    try {
      const keys = (await attacker.keys(`tilegate:${ns}:*`)).filter((k) => !k.endsWith(':state'));
      const north = keys.find((k) => k.endsWith('role-north'))!;
      const south = keys.find((k) => k.endsWith('role-south'))!;
      const [northValue, southValue] = [await attacker.getBuffer(north), await attacker.getBuffer(south)];
      expect(northValue!.includes('north-only')).toBe(false);
      expect(await bytesOf(b, ['sites'], 'sites/role-south')).toEqual(tile('south-only depot'));
      warnings.length = 0;

      await attacker.set(south, northValue!);
      expect(await bytesOf(b, ['sites'], 'sites/role-south')).toBeNull();
      await attacker.set(south, tile('forged by the attacker'));
      expect(await bytesOf(b, ['sites'], 'sites/role-south')).toBeNull();
      const flipped = Buffer.from(southValue!);
      flipped[flipped.length - 1] ^= 1;
      await attacker.set(south, flipped);
      expect(await bytesOf(b, ['sites'], 'sites/role-south')).toBeNull();
      // A deployment with another RedisSecret on the same namespace reads nothing of this one's.
      expect(await bytesOf(stranger, ['sites'], 'sites/role-north')).toBeNull();
      expect(b.stats()).toMatchObject({ rejected: 3, errors: 0, available: true });
      expect(stranger.stats()).toMatchObject({ rejected: 1, hits: 0 });
      expect(warnings.join('\n')).toMatch(/failed its seal check/);
      // The render after such a miss stores a good entry in its place.
      await store(b, ['sites'], 'sites/role-south', tile('south-only depot'));
      expect(await bytesOf(a, ['sites'], 'sites/role-south')).toEqual(tile('south-only depot'));
    } finally {
      attacker.disconnect();
    }
  });

  it('an invalidation on one replica makes the others miss that layer only', async () => {
    const ns = randomUUID();
    const [a, b] = [await replica(ns), await replica(ns)];
    await store(b, ['roads'], 'roads/1/0/0', tile('roads'));
    await store(b, ['rivers'], 'rivers/1/0/0', tile('rivers'));
    await store(b, ['roads', 'rivers'], 'roads,rivers/1/0/0', tile('both'));

    await a.invalidateLayers(['roads']);
    expect(await bytesOf(b, ['roads'], 'roads/1/0/0')).toBeNull();
    expect(await bytesOf(b, ['roads', 'rivers'], 'roads,rivers/1/0/0')).toBeNull();
    expect(await bytesOf(b, ['rivers'], 'rivers/1/0/0')).toEqual(tile('rivers'));
  });

  it('a tile rendered across an invalidation is stored where no later lookup looks', async () => {
    const ns = randomUUID();
    const [a, b] = [await replica(ns), await replica(ns)];
    const before = await b.get(['roads'], 'roads/2/1/1');
    await a.invalidateLayers(['roads']);
    await b.set(['roads'], before!.generations, 'roads/2/1/1', tile('stale'), null);
    expect(await bytesOf(a, ['roads'], 'roads/2/1/1')).toBeNull();
    expect(await bytesOf(b, ['roads'], 'roads/2/1/1')).toBeNull();
  });

  it('invalidateAll makes every replica miss everything', async () => {
    const ns = randomUUID();
    const [a, b] = [await replica(ns), await replica(ns)];
    await store(a, ['roads'], 'roads/1/0/0', tile('roads'));
    await store(a, ['rivers'], 'rivers/1/0/0', tile('rivers'));
    await b.invalidateAll();
    expect(await bytesOf(a, ['roads'], 'roads/1/0/0')).toBeNull();
    expect(await bytesOf(a, ['rivers'], 'rivers/1/0/0')).toBeNull();
  });

  it('a lost state hash (eviction, FLUSHDB of it) never revives entries stored before an invalidation', async () => {
    const ns = randomUUID();
    const [a, b] = [await replica(ns), await replica(ns)];
    await store(a, ['roads'], 'roads/1/0/0', tile('before'));
    await a.invalidateLayers(['roads']);
    expect(await server.command('DEL', `tilegate:${ns}:state`)).toBe(':1');
    expect(await bytesOf(b, ['roads'], 'roads/1/0/0')).toBeNull();
    expect(await bytesOf(a, ['roads'], 'roads/1/0/0')).toBeNull();
  });

  it('stores with the given TTL or the safety TTL, and skips huge, unkept and mislabelled entries', async () => {
    const ns = randomUUID();
    const a = await replica(ns);
    const ttlOf = async (layers: string[], key: string, ttl: number | null, bytes = tile(key)) => {
      const { generations } = (await a.get(layers, key))!;
      await a.set(layers, generations, key, bytes, ttl);
      return server.command('TTL', `tilegate:${ns}:${generations}:${key}`);
    };
    expect(await ttlOf(['roads'], 'k1', null)).toBe(':86400');
    expect(await ttlOf(['roads'], 'k2', 30)).toBe(':30');
    expect(await ttlOf(['roads'], 'k3', 0)).toBe(':-2');
    expect(await ttlOf(['roads'], 'k4', null, Buffer.alloc(4 * 1024 * 1024 + 1))).toBe(':-2');
    const { generations } = (await a.get(['roads'], 'k5'))!;
    await a.set(['roads', 'rivers'], generations, 'k5', tile('k5'), null);
    expect(await bytesOf(a, ['roads', 'rivers'], 'k5')).toBeNull();
    await a.set(['roads'], generations, 'k6', Buffer.alloc(0), null);
    expect(await bytesOf(a, ['roads'], 'k6')).toEqual(Buffer.alloc(0));
  });

  it('with Redis slow or killed, answers undefined at once and throws nothing; trusts again after restart', async () => {
    const ns = randomUUID();
    const a = await replica(ns, { commandTimeoutMs: 50 });
    await store(a, ['roads'], 'roads/1/0/0', tile('roads'));

    server.pause();
    const [slow, slowMs] = await elapsed(() => a.get(['roads'], 'roads/1/0/0'));
    expect(slow).toBeUndefined();
    expect(slowMs).toBeLessThan(200);
    server.resume();

    await server.kill();
    await waitFor('the level to notice', () => !a.stats().available);
    const [down, downMs] = await elapsed(() => a.get(['roads'], 'roads/1/0/0'));
    expect(down).toBeUndefined();
    expect(downMs).toBeLessThan(200);
    await expect(a.set(['roads'], 'eX:g0', 'roads/1/0/0', tile('x'), null)).resolves.toBeUndefined();
    await expect(a.invalidateLayers(['roads'])).resolves.toBeUndefined();
    await expect(a.invalidateAll()).resolves.toBeUndefined();
    expect(a.stats().errors).toBeGreaterThan(0);

    await server.restart();
    await waitFor('the level to trust the restarted Redis', () => a.stats().available);
    expect(await bytesOf(a, ['roads'], 'roads/1/0/0')).toBeNull();
  });

  it('after a restart from an old snapshot, trusts Redis only once its own epoch bump succeeded', async () => {
    const ns = randomUUID();
    const first = warnings.length;
    const [a, b] = [await replica(ns, { recoveryDelayMs: 100 }), await replica(ns, { recoveryDelayMs: 100 })];
    const { generations: oldTag } = (await a.get(['roads'], 'roads/1/0/0'))!;
    await a.set(['roads'], oldTag, 'roads/1/0/0', tile('old'), null);
    expect(await server.command('SAVE')).toBe('+OK');
    await a.invalidateLayers(['roads']);
    expect(await bytesOf(b, ['roads'], 'roads/1/0/0')).toBeNull();

    // Back with the snapshot (the old generation and the old tile) and refusing writes, so no bump can succeed.
    await server.restart({ keepData: true, args: ['--min-replicas-to-write', '1'] });
    expect(await server.command('EXISTS', `tilegate:${ns}:${oldTag}:roads/1/0/0`)).toBe(':1');
    // From the moment Redis is back until both bumps have failed, neither replica may serve the old tile.
    const answers: Array<Buffer | null | undefined> = [];
    const bumpsFailed = () => warnings.slice(first).filter((w) => w.includes('epoch bump failed')).length >= 2;
    await waitFor('both replicas to try their epoch bump', async () => {
      answers.push(await bytesOf(a, ['roads'], 'roads/1/0/0'), await bytesOf(b, ['roads'], 'roads/1/0/0'));
      return bumpsFailed() || answers.some(Boolean);
    });
    expect(answers.filter(Boolean).map(String)).toEqual([]);
    for (let i = 0; i < 10; i++) {
      expect(await a.get(['roads'], 'roads/1/0/0')).toBeUndefined();
      expect(await b.get(['roads'], 'roads/1/0/0')).toBeUndefined();
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(a.stats().available).toBe(false);

    expect(await server.command('CONFIG', 'SET', 'min-replicas-to-write', '0')).toBe('+OK');
    await waitFor('both replicas to bump and trust again', () => a.stats().available && b.stats().available);
    expect(await bytesOf(a, ['roads'], 'roads/1/0/0')).toBeNull();
    expect(await bytesOf(b, ['roads'], 'roads/1/0/0')).toBeNull();
  });

  it('a failed invalidation makes the level step aside until an epoch bump succeeds', async () => {
    const ns = randomUUID();
    const [a, b] = [await replica(ns, { recoveryDelayMs: 60_000, commandTimeoutMs: 50 }), await replica(ns)];
    await store(a, ['rivers'], 'rivers/1/0/0', tile('rivers'));

    server.pause();
    const [, invalidateMs] = await elapsed(() => a.invalidateLayers(['roads']));
    expect(invalidateMs).toBeLessThan(200);
    server.resume();

    // Whatever the failed call did or did not reach, A no longer answers, nor stores.
    expect(await a.get(['rivers'], 'rivers/1/0/0')).toBeUndefined();
    const { generations } = (await b.get(['roads'], 'roads/1/0/0'))!;
    await a.set(['roads'], generations, 'roads/1/0/0', tile('roads'), null);
    expect(await bytesOf(b, ['roads'], 'roads/1/0/0')).toBeNull();
    expect(a.stats().available).toBe(false);
    expect(b.stats().available).toBe(true);

    await a.invalidateAll();
    expect(a.stats().available).toBe(true);
    expect(await bytesOf(a, ['rivers'], 'rivers/1/0/0')).toBeNull();
  });

  it('retries the epoch bump by itself after a failed invalidation', async () => {
    const a = await replica(randomUUID(), { recoveryDelayMs: 100, commandTimeoutMs: 50 });
    server.pause();
    await a.invalidateLayers(['roads']);
    server.resume();
    expect(a.stats().available).toBe(false);
    await waitFor('the level to recover', () => a.stats().available, 3_000);
  });

  it('reports Redis memory and evictions from INFO, and warns once that this Redis has no maxmemory', async () => {
    const namespace = randomUUID();
    const a = await replica(namespace);
    a.stats();
    await waitFor('INFO to arrive', () => a.stats().bytes > 0);
    expect(a.stats().evictions).toBeGreaterThanOrEqual(0);
    // The test's redis-server runs without maxmemory: every distinct tile would be kept.
    const policyWarnings = () => warnings.filter((w) => w.includes('no maxmemory limit') && w.includes(namespace));
    await waitFor('the maxmemory warning', () => policyWarnings().length > 0);
    expect(policyWarnings()).toHaveLength(1);
  });
});
