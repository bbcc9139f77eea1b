import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { decodeTile } from './support/mvt';

/**
 * The tile cache as a user and an attacker meet it: tiles come back from memory, but never to a
 * request PostgreSQL would answer differently. Layers here are not watched by triggers, so they
 * are cached by TileCacheTTL (see tile-cache-invalidation.e2e-spec.ts for the watched case).
 */
describe('tile cache (memory level, TTL)', () => {
  const ctx = serveTestDatabase('core.sql', (db) =>
    roleSwitching(db, {
      TileCacheTTL: 60,
      EnableMetrics: true,
      Layer: [
        { Id: 'public.regional_sites', Cache: 'claims' },
        { Id: 'public.zones', Cache: 'off' },
      ],
    } as never),
  );
  const member = () => bearer(token({ role: ctx.db.roles.member }));
  const get = async (layer: string, headers: Record<string, string> = {}, tile = '0/0/0') => {
    const [name, query] = layer.split('?');
    const response = await fetch(`${ctx.server.url}/${name}/${tile}.pbf${query ? `?${query}` : ''}`, { headers });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, source: response.headers.get('tilegate-cache'), etag: response.headers.get('etag'), bytes, layers: response.status === 200 ? decodeTile(bytes) : {} };
  };
  /**
   * Asks until the tile comes from memory. After a GRANT the layer's stamp has moved: the first
   * tile is not stored (its metadata is read again), the next is, the one after is a hit.
   */
  const warm = async (layer: string, headers: Record<string, string> = {}, tile = '0/0/0') => {
    for (let i = 0; i < 5; i++) {
      const got = await get(layer, headers, tile);
      if (got.source === 'hit') return got;
    }
    throw new Error(`${layer} never came from the cache`);
  };

  it('renders a plain table once, then serves the same bytes from memory', async () => {
    const first = await get('public.places', {}, '1/1/0');
    const second = await get('public.places', {}, '1/1/0');
    expect(first.source).toBe('miss');
    expect(second.source).toBe('hit');
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(second.etag).toBe(first.etag);
    expect(first.layers['public.places'].length).toBeGreaterThan(0);
  });

  it('keys by every normalised parameter: another limit is another tile', async () => {
    const all = await get('public.places', {}, '0/0/0');
    const one = await get('public.places?limit=1', {}, '0/0/0');
    expect(one.source).toBe('miss');
    expect(one.layers['public.places']).toHaveLength(1);
    expect(all.layers['public.places'].length).toBeGreaterThan(1);
    // Parameters that normalise to the same statement share the entry (unknown ones are ignored).
    expect((await get('public.places?limit=1&cachebuster=7', {}, '0/0/0')).source).toBe('hit');
  });

  it('keys by role: what one role cached is not served to another', async () => {
    expect((await get('public.member_only', member())).source).toMatch(/miss|hit/);
    expect((await get('public.member_only', member())).source).toBe('hit');
    expect((await get('public.member_only')).status).toBe(404);
  });

  it('takes no privilege from the cache: a REVOKE between two identical requests applies to the second', async () => {
    const layer = 'public.gated';
    await ctx.db.admin(`GRANT SELECT ON public.gated TO ${ctx.db.roles.member}`);
    await warm(layer, member());
    await ctx.db.admin(`REVOKE SELECT ON public.gated FROM ${ctx.db.roles.member}`);
    expect((await get(layer, member())).status).toBe(404);
    await ctx.db.admin(`GRANT SELECT ON public.gated TO ${ctx.db.roles.member}`);
    expect((await get(layer, member())).status).toBe(200);
  });

  it('takes no role membership from the cache', async () => {
    const group = `${ctx.db.roles.member}_group`;
    const viaGroup = `${ctx.db.roles.member}_viagroup`;
    await ctx.db.admin(`CREATE ROLE ${group} NOLOGIN; CREATE ROLE ${viaGroup} NOLOGIN INHERIT; GRANT ${viaGroup} TO ${ctx.db.roles.authenticator};
      GRANT SELECT ON public.gated TO ${group}; GRANT ${group} TO ${viaGroup}`);
    try {
      const headers = bearer(token({ role: viaGroup }));
      await warm('public.gated', headers);
      await ctx.db.admin(`REVOKE ${group} FROM ${viaGroup}`);
      expect((await get('public.gated', headers)).status).toBe(404);
    } finally {
      await ctx.db.admin(`REVOKE ALL ON public.gated FROM ${group}; DROP ROLE ${viaGroup}; DROP ROLE ${group}`);
    }
  });

  it('takes no column privilege from the cache: a column REVOKE drops the property at once', async () => {
    const role = `${ctx.db.roles.member}_cols`;
    await ctx.db.admin(`CREATE ROLE ${role} NOLOGIN; GRANT ${role} TO ${ctx.db.roles.authenticator}; GRANT USAGE ON SCHEMA restricted TO ${role};
      GRANT SELECT (id, code, geom) ON restricted.secrets TO ${role}`);
    try {
      const headers = bearer(token({ role }));
      expect((await get('restricted.secrets', headers, '0/0/0')).layers['restricted.secrets'][0].properties).toHaveProperty('code', 'alpha');
      expect((await get('restricted.secrets', headers, '0/0/0')).source).toBe('hit');
      await ctx.db.admin(`REVOKE SELECT (code) ON restricted.secrets FROM ${role}`);
      const after = await get('restricted.secrets', headers, '0/0/0');
      expect(after.status).toBe(200);
      expect(after.layers['restricted.secrets'][0].properties).not.toHaveProperty('code');
    } finally {
      await ctx.db.admin(`REVOKE ALL ON restricted.secrets FROM ${role}; REVOKE USAGE ON SCHEMA restricted FROM ${role}; DROP ROLE ${role}`);
    }
  });

  it('never caches a layer under row level security unless marked, and keys a marked one by claims', async () => {
    const regional = (region: string, exp: number) => bearer(token({ role: ctx.db.roles.regional, region, exp }));
    const later = Math.floor(Date.now() / 1000) + 3600;
    const north = await get('public.regional_sites', regional('north', later));
    const south = await get('public.regional_sites', regional('south', later));
    expect(north.layers['public.regional_sites'].map((f) => f.properties.name).sort()).toEqual(['Northern depot', 'Northern yard']);
    expect(south.layers['public.regional_sites'].map((f) => f.properties.name)).toEqual(['Southern depot']);
    expect(south.source).toBe('miss');
    // Another token of the same user (another exp) is the same answer.
    expect((await get('public.regional_sites', regional('north', later + 60))).source).toBe('hit');
  });

  it('does not cache what the configuration turns off, nor unmarked function layers', async () => {
    expect((await get('public.zones')).source).toBe('off');
    expect((await get('public.zones')).source).toBe('off');
    expect((await get('public.whoami')).source).toBe('off');
  });

  it('does not cache a table once row level security is turned on, whatever the registry remembered', async () => {
    const headers = bearer(token({ role: ctx.db.roles.member }));
    await ctx.db.admin(`GRANT SELECT ON public.gated TO ${ctx.db.roles.member}`);
    await warm('public.gated', headers, '1/0/0');
    await ctx.db.admin('ALTER TABLE public.gated ENABLE ROW LEVEL SECURITY');
    try {
      const after = await get('public.gated', headers, '1/0/0');
      expect(after.source).toBe('off');
      expect(after.layers['public.gated'] ?? []).toHaveLength(0);
    } finally {
      await ctx.db.admin('ALTER TABLE public.gated DISABLE ROW LEVEL SECURITY');
    }
  });

  it('never caches errors: a 404 stays a 404 and says nothing about the cache', async () => {
    const missing = await get('public.nothing_here');
    expect(missing.status).toBe(404);
    expect(missing.source).toBeNull();
  });

  it('counts hits, misses, evictions and bytes in /metrics', async () => {
    const metrics = await (await fetch(`${ctx.server.url}/metrics`)).text();
    expect(metrics).toMatch(/tilegate_tile_cache_hits_total\{level="memory"\} [1-9]/);
    expect(metrics).toMatch(/tilegate_tile_cache_misses_total\{level="memory"\} [1-9]/);
    expect(metrics).toMatch(/tilegate_tile_cache_evictions_total\{level="memory"\} \d/);
    expect(metrics).toMatch(/tilegate_tile_cache_bytes\{level="memory"\} [1-9]/);
    // Well within TileCacheSize + 150 MB, the memory level may hold all of TileCacheSize.
    expect(metrics).toMatch(/tilegate_tile_cache_limit_bytes [1-9]\d{6,}/);
    expect(metrics).toMatch(/tilegate_tile_cache_uncached_total [1-9]/);
  });
});

describe('tile cache turned off', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { TileCacheTTL: 60, TileCacheSize: 0 }));

  it('says off on every tile', async () => {
    for (let i = 0; i < 2; i++) expect((await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`)).headers.get('tilegate-cache')).toBe('off');
  });
});
