import { request } from 'undici';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { decodeTile } from './support/mvt';

/**
 * TileCacheSize is what the memory level holds, counted exactly: each tile's bytes and, once a
 * client asked for it, the gzip form kept beside it. Before, a tile was counted as 1.5 times its
 * bytes whatever it held, so a cache of gzip clients' tiles held more than it counted.
 */
describe('tile cache memory (TileCacheSize counts what is held)', () => {
  const ctx = serveTestDatabase('filter.sql', (db) => roleSwitching(db, { TileCacheTTL: 60, TileCacheSize: 1, EnableMetrics: true }));
  const layer = 'public.fixture_big'; // 50,000 points
  beforeAll(async () => {
    await ctx.db.admin(`GRANT SELECT ON ${layer} TO ${ctx.db.roles.anon}`);
    // The GRANT moved the layer's stamp: the next tile is rendered from metadata read again, and not stored.
    await fetch(`${ctx.server.url}/${layer}/0/0/0.pbf`).then((r) => r.arrayBuffer());
  });
  const get = async (tile: string, acceptEncoding?: string) => {
    const response = await request(`${ctx.server.url}/${layer}/${tile}.pbf`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
    const body = Buffer.from(await response.body.arrayBuffer());
    return { status: response.statusCode, source: response.headers['tilegate-cache'], encoding: response.headers['content-encoding'], body };
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${ctx.server.url}/metrics`)).text();
    return Number(new RegExp(`^${name}\\{level="memory"\\} (\\S+)`, 'm').exec(text)?.[1]);
  };
  const heldBytes = () => metric('tilegate_tile_cache_bytes');
  // z4 tiles, about 19 KB each (a tile with its gzip form must fit in an eighth of the cache).
  const z4 = Array.from({ length: 128 }, (_, i) => `4/${i % 16}/${4 + Math.floor(i / 16)}`);

  it('adds exactly the gzip forms it keeps to the bytes it counts', async () => {
    const tiles = z4.slice(40, 46);
    for (const tile of tiles) expect((await get(tile)).source).toBe('miss');
    for (const tile of tiles) expect((await get(tile)).source).toBe('hit');
    const plain = await heldBytes();
    let gzipped = 0;
    for (const tile of tiles) {
      const got = await get(tile, 'gzip');
      expect(got).toMatchObject({ status: 200, source: 'hit', encoding: 'gzip' });
      gzipped += got.body.length;
    }
    expect(gzipped).toBeGreaterThan(1000);
    // The forms are counted as they are made, just after the responses that made them.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await heldBytes()).toBe(plain + gzipped);
    for (const tile of tiles) await get(tile, 'gzip'); // made once, counted once
    expect(await heldBytes()).toBe(plain + gzipped);
  });

  it('stays within TileCacheSize when gzip clients fill it, evicting the least recently used', async () => {
    let sent = 0;
    for (const tile of z4) {
      const got = await get(tile, 'gzip');
      expect(got.status).toBe(200);
      sent += got.body.length;
    }
    for (const tile of z4) sent += (await get(tile)).body.length;
    expect(sent).toBeGreaterThan(1024 * 1024); // more than the cache can hold
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await heldBytes()).toBeLessThanOrEqual(1024 * 1024);
    expect(await metric('tilegate_tile_cache_evictions_total')).toBeGreaterThan(0);
    // What is served stays right: the last tile asked is held, and its bytes decode.
    const last = await get(z4[z4.length - 1]);
    expect(last.source).toBe('hit');
    expect(decodeTile(last.body)[layer].length).toBeGreaterThan(0);
  });
});
