import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, rawToken, token } from './support/tokens';
import { decodeTile } from './support/mvt';
import { startServer, TestServer } from './support/test-server';
import { RedisServer, startRedisServer } from './support/redis-server';
import { databaseUrl, withClient } from '../scripts/lib/pg-admin';
import { ADMIN_URL } from './support/test-database';
import Redis from 'ioredis';
import { TileCache } from '../apps/tilegate/src/cache/tile-cache.service';

/**
 * Attacks on the tile cache (issue 16), from an attacker's review: each asserts what PostgreSQL
 * would answer. Those labelled [FOUND] failed when first written (the fix is named in the test);
 * [DEFENCE] held from the start.
 */
/** Function and view layers are also asked together with a plain table: their stamps are then read in one statement with a table's. */
const WITH_TABLE = (layer: string) => `public.tiny,${layer}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REDIS_SECRET = 'the-redis-secret-both-replicas-share';

type Got = { status: number; source: string | null; names: string[]; props: Record<string, unknown>[] };
const getFrom = async (base: string, layer: string, headers: Record<string, string> = {}, tile = '0/0/0'): Promise<Got> => {
  const [name, query] = layer.split('?');
  const response = await fetch(`${base}/${name}/${tile}.pbf${query ? `?${query}` : ''}`, { headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (process.env.ATTACK_DEBUG && response.status >= 500) console.log(layer, response.status, bytes.toString());
  // Every layer's features; the helper layer public.tiny (one feature named 't') is left out.
  const features = response.status === 200 ? Object.values(decodeTile(bytes)).flat().filter((f) => f.properties.name !== 't') : [];
  return { status: response.status, source: response.headers.get('tilegate-cache'), names: features.map((f) => String(f.properties.name)).sort(), props: features.map((f) => f.properties) };
};

describe('tile cache attacks (memory level, TileCacheTTL = 60)', () => {
  const ctx = serveTestDatabase('core.sql', (db) =>
    roleSwitching(db, {
      TileCacheTTL: 60,
      TileCacheSize: 4,
      Layer: [
        { Id: 'public.acl_sites', Cache: 'claims' },
        { Id: 'public.fn_sites', Cache: 'role' },
        { Id: 'public.fn_view', Cache: 'role' },
        { Id: 'public.plain_view', Cache: 'role' },
        { Id: 'public.regional_sites', Cache: 'claims' },
      ],
    } as never),
  );
  const member = () => bearer(token({ role: ctx.db.roles.member }));
  const regional = (region = 'north') => bearer(token({ role: ctx.db.roles.regional, region }));
  const get = (layer: string, headers: Record<string, string> = {}, tile = '0/0/0') => getFrom(ctx.server.url, layer, headers, tile);
  const warm = async (layer: string, headers: Record<string, string>, tile = '0/0/0') => {
    const first = await get(layer, headers, tile);
    expect(first.status).toBe(200);
    const second = await get(layer, headers, tile);
    expect(second.source).toBe('hit');
    return second;
  };

  beforeAll(async () => {
    const { member: m, regional: r } = ctx.db.roles;
    await ctx.db.admin(`
      -- an RLS policy that reads another table (the usual "ACL table" pattern)
      CREATE TABLE public.acl (region text);
      INSERT INTO public.acl VALUES ('north');
      CREATE TABLE public.acl_sites (id integer PRIMARY KEY, region text, name text, geom geometry(Point, 4326));
      INSERT INTO public.acl_sites VALUES (1, 'north', 'n1', 'SRID=4326;POINT(1 50)'), (2, 'south', 's1', 'SRID=4326;POINT(1 -50)');
      ALTER TABLE public.acl_sites ENABLE ROW LEVEL SECURITY;
      CREATE POLICY acl_sites_by_acl ON public.acl_sites FOR SELECT USING (region IN (SELECT a.region FROM public.acl a));
      GRANT SELECT ON public.acl, public.acl_sites TO ${r};

      -- a function layer (SECURITY INVOKER) that reads a table
      CREATE TABLE public.fn_src (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.fn_src VALUES (1, 'fn-a', 'SRID=4326;POINT(2 2)');
      GRANT SELECT ON public.fn_src TO ${m};
      CREATE FUNCTION public.fn_sites(z integer, x integer, y integer) RETURNS bytea LANGUAGE sql STABLE AS $$
        SELECT ST_AsMVT(q, 'public.fn_sites') FROM (
          SELECT ST_AsMVTGeom(ST_Transform(s.geom, 3857), ST_TileEnvelope(z, x, y)) AS geom, s.name FROM public.fn_src s) q $$;
      GRANT EXECUTE ON FUNCTION public.fn_sites(integer, integer, integer) TO ${m};

      -- a view that calls a (SECURITY INVOKER) function which reads a table
      CREATE TABLE public.view_acl (name text);
      INSERT INTO public.view_acl VALUES ('v1');
      CREATE TABLE public.view_src (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.view_src VALUES (1, 'v1', 'SRID=4326;POINT(3 3)'), (2, 'v2', 'SRID=4326;POINT(4 4)');
      CREATE FUNCTION public.view_allowed(n text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM public.view_acl a WHERE a.name = n) $$;
      CREATE VIEW public.fn_view AS SELECT id, name, geom FROM public.view_src WHERE public.view_allowed(name);
      GRANT SELECT ON public.fn_view, public.view_acl TO ${m};

      -- a plain view over a table
      CREATE TABLE public.plain_src (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.plain_src VALUES (1, 'p1', 'SRID=4326;POINT(5 5)');
      CREATE VIEW public.plain_view AS SELECT id, name, geom FROM public.plain_src;
      GRANT SELECT ON public.plain_view TO ${m};

      -- two look-alike tables for a rename swap
      CREATE TABLE public.swap_a (id integer, name text, geom geometry(Point, 4326));
      CREATE TABLE public.swap_b (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.swap_a VALUES (1, 'old', 'SRID=4326;POINT(6 6)');
      INSERT INTO public.swap_b VALUES (1, 'new', 'SRID=4326;POINT(6 6)');
      GRANT SELECT ON public.swap_a, public.swap_b TO ${m};

      -- a table the member owns, for an ownership change
      CREATE TABLE public.owned (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.owned VALUES (1, 'mine', 'SRID=4326;POINT(7 7)');
      ALTER TABLE public.owned OWNER TO ${m};

      -- many small tiles, for the memory accounting
      CREATE TABLE public.tiny (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.tiny VALUES (1, 't', 'SRID=4326;POINT(8 8)');
      GRANT SELECT ON public.tiny TO ${m};
    `);
  });

  // ---------------------------------------------------------------- the stamps statement itself

  it('[FOUND] a function layer marked Cache = "role", asked alone, is served (every part of the stamps statement names its columns)', async () => {
    // privilege-stamps.sql.ts: with no table asked, the UNION's first branch is FUNCTIONS, whose
    // columns are named oid/concat_ws/bool, so row.stamp is undefined and cacheKey() throws.
    const first = await get('public.fn_sites', member());
    expect(first.status).toBe(200);
  });

  it('[FOUND] a view marked Cache = "role", asked alone, is cached (every part of the stamps statement names its columns)', async () => {
    await get('public.plain_view', member());
    expect((await get('public.plain_view', member())).source).toBe('hit');
  });

  it('[DEFENCE] asked with a table in the same request, the same view is cached', async () => {
    await get(WITH_TABLE('public.plain_view'), member(), '2/2/1');
    expect((await get(WITH_TABLE('public.plain_view'), member(), '2/2/1')).source).toBe('hit');
  });

  // ---------------------------------------------------------------- privileges the stamps miss

  it('[FOUND] an RLS policy reads another table: REVOKE SELECT on that table applies to the next request (the stamps follow what policies read)', async () => {
    const headers = regional();
    expect((await warm('public.acl_sites', headers)).names).toEqual(['n1']);
    await ctx.db.admin(`REVOKE SELECT ON public.acl FROM ${ctx.db.roles.regional}`);
    try {
      // PostgreSQL now answers "permission denied for table acl": no tile.
      const after = await get('public.acl_sites', headers);
      expect({ status: after.status, source: after.source }).not.toEqual({ status: 200, source: 'hit' });
      expect(after.status).not.toBe(200);
    } finally {
      await ctx.db.admin(`GRANT SELECT ON public.acl TO ${ctx.db.roles.regional}`);
    }
  });



  it('[FOUND] a view calls a function: REVOKE EXECUTE on it applies to the next request (the stamps follow the functions a view calls)', async () => {
    const headers = member();
    await warm(WITH_TABLE('public.fn_view'), headers, '1/1/0');
    await ctx.db.admin(`REVOKE EXECUTE ON FUNCTION public.view_allowed(text) FROM PUBLIC`);
    try {
      const after = await get(WITH_TABLE('public.fn_view'), headers, '1/1/0');
      expect(after.source).not.toBe('hit');
      expect(after.status).not.toBe(200);
    } finally {
      await ctx.db.admin(`GRANT EXECUTE ON FUNCTION public.view_allowed(text) TO PUBLIC`);
    }
  });

  it('[FOUND] rename swap (ALTER TABLE a RENAME TO a_old; ALTER TABLE b RENAME TO a): a REVOKE on the table now read applies (a moved stamp reloads the layer metadata)', async () => {
    const headers = member();
    expect((await warm('public.swap_a', headers)).names).toEqual(['old']);
    await ctx.db.admin('BEGIN; ALTER TABLE public.swap_a RENAME TO swap_old; ALTER TABLE public.swap_b RENAME TO swap_a; COMMIT');
    const swapped = await get('public.swap_a', headers);
    expect(swapped.names).toEqual(['new']);
    await get('public.swap_a', headers);
    await ctx.db.admin(`REVOKE SELECT ON public.swap_a FROM ${ctx.db.roles.member}`);
    const after = await get('public.swap_a', headers);
    expect(after.source).not.toBe('hit');
    expect(after.status).toBe(404);
  });

  // ---------------------------------------------------------------- defences that held

  it('[DEFENCE] a plain view: REVOKE on its table from the view owner applies at once (the view stamp covers what it reads)', async () => {
    const headers = member();
    const owner = `${ctx.db.roles.member}_view_owner`;
    expect((await warm(WITH_TABLE('public.plain_view'), headers)).names).toEqual(['p1']);
    await ctx.db.admin(`CREATE ROLE ${owner} NOLOGIN; GRANT SELECT ON public.plain_src TO ${owner}; ALTER VIEW public.plain_view OWNER TO ${owner}`);
    try {
      expect((await get(WITH_TABLE('public.plain_view'), headers)).source).not.toBe('hit');
      await get(WITH_TABLE('public.plain_view'), headers);
      await warm(WITH_TABLE('public.plain_view'), headers);
      await ctx.db.admin(`REVOKE SELECT ON public.plain_src FROM ${owner}`);
      expect((await get(WITH_TABLE('public.plain_view'), headers)).status).not.toBe(200);
    } finally {
      await ctx.db.admin(`ALTER VIEW public.plain_view OWNER TO CURRENT_USER; REVOKE ALL ON public.plain_src FROM ${owner}; DROP ROLE ${owner}`);
    }
  });

  it('[DEFENCE] ALTER TABLE ... OWNER TO: the former owner loses the table on the next request', async () => {
    const headers = member();
    expect((await warm('public.owned', headers)).names).toEqual(['mine']);
    await ctx.db.admin('ALTER TABLE public.owned OWNER TO CURRENT_USER');
    expect((await get('public.owned', headers)).status).toBe(404);
  });

  it('[DEFENCE] REVOKE USAGE ON SCHEMA applies on the next request', async () => {
    const headers = member();
    await warm('restricted.secrets', headers);
    await ctx.db.admin(`REVOKE USAGE ON SCHEMA restricted FROM ${ctx.db.roles.member}`);
    try {
      expect((await get('restricted.secrets', headers)).status).toBe(404);
    } finally {
      await ctx.db.admin(`GRANT USAGE ON SCHEMA restricted TO ${ctx.db.roles.member}`);
    }
  });

  it('[DEFENCE] REVOKE ... ON ALL TABLES IN SCHEMA, and GRANT back, apply on the next request', async () => {
    const headers = member();
    await warm('public.tiny', headers, '1/1/0');
    const m = ctx.db.roles.member;
    const held = await ctx.db.admin<{ rel: string }>(`SELECT c.oid::regclass::text AS rel FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'p') AND pg_has_role('${m}', c.relowner, 'USAGE') IS FALSE
        AND has_table_privilege('${m}', c.oid, 'SELECT')`);
    await ctx.db.admin(`REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM ${m}`);
    try {
      expect((await get('public.tiny', headers, '1/1/0')).status).toBe(404);
    } finally {
      await ctx.db.admin(`GRANT SELECT ON ${held.map((h) => h.rel).join(', ')} TO ${m}`);
    }
    expect((await get('public.tiny', headers, '1/1/0')).status).toBe(200);
  });

  it('[DEFENCE] DROP and CREATE of a table with the same name: the old tile is not served, the new privileges decide', async () => {
    const headers = member();
    await ctx.db.admin(`CREATE TABLE public.reborn (id integer, name text, geom geometry(Point, 4326)); INSERT INTO public.reborn VALUES (1, 'first', 'SRID=4326;POINT(9 9)'); GRANT SELECT ON public.reborn TO ${ctx.db.roles.member}`);
    // A table created after the catalog was read: its first tiles may come before the registry settles.
    for (let i = 0; i < 5 && (await get('public.reborn', headers)).source !== 'hit'; i++);
    expect((await warm('public.reborn', headers)).names).toEqual(['first']);
    await ctx.db.admin(`DROP TABLE public.reborn; CREATE TABLE public.reborn (id integer, name text, geom geometry(Point, 4326)); INSERT INTO public.reborn VALUES (1, 'second', 'SRID=4326;POINT(9 9)')`);
    expect((await get('public.reborn', headers)).status).toBe(404);
    await ctx.db.admin(`GRANT SELECT ON public.reborn TO ${ctx.db.roles.member}`);
    expect((await get('public.reborn', headers)).names).toEqual(['second']);
  });

  it('[DEFENCE] ALTER ROLE ... NOINHERIT on a role that holds a grant through a group applies on the next request', async () => {
    const group = `${ctx.db.roles.member}_atk_g`;
    const user = `${ctx.db.roles.member}_atk_u`;
    await ctx.db.admin(`CREATE ROLE ${group} NOLOGIN; CREATE ROLE ${user} NOLOGIN INHERIT; GRANT ${user} TO ${ctx.db.roles.authenticator};
      GRANT SELECT ON public.gated TO ${group}; GRANT ${group} TO ${user}`);
    try {
      const headers = bearer(token({ role: user }));
      await warm('public.gated', headers);
      await ctx.db.admin(`ALTER ROLE ${user} NOINHERIT`);
      expect((await get('public.gated', headers)).status).toBe(404);
    } finally {
      await ctx.db.admin(`REVOKE ALL ON public.gated FROM ${group}; DROP ROLE ${user}; DROP ROLE ${group}`);
    }
  });

  it('[DEFENCE] a policy change (ALTER POLICY) applies on the next request', async () => {
    const headers = regional('north');
    await warm('public.regional_sites', headers, '1/0/0');
    await ctx.db.admin(`ALTER POLICY regional_sites_by_claim ON public.regional_sites USING (false)`);
    try {
      const after = await get('public.regional_sites', headers, '1/0/0');
      expect(after.source).not.toBe('hit');
      expect(after.names).toEqual([]);
    } finally {
      await ctx.db.admin(`ALTER POLICY regional_sites_by_claim ON public.regional_sites USING (region = current_setting('request.jwt.claims', true)::json ->> 'region')`);
    }
  });

  it('[DEFENCE] claims keyed as written: duplicate keys, unicode escapes and whitespace never share a key with a different answer', async () => {
    const role = ctx.db.roles.regional;
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const variants = [
      `{"role":"${role}","region":"north","exp":${exp}}`,
      `{"role":"${role}","region":"north","region":"south","exp":${exp}}`, // PostgreSQL's json ->> takes the last
      `{"role":"${role}","region":"south","region":"north","exp":${exp}}`,
      `{"role":"${role}","region":"nor\\u0074h","exp":${exp}}`,
      `{"role":"${role}", "region" : "south" ,"exp":${exp}}`,
      `{"role":"${role}","regi\\u006fn":"south","exp":${exp}}`,
      `{"role":"${role}","region":"south","exp":${exp},"exp":${exp + 1}}`,
    ];
    for (let round = 0; round < 2; round++) {
      for (const json of variants) {
        const [{ region }] = await ctx.db.admin<{ region: string }>(`SELECT '${json.replace(/'/g, "''")}'::json ->> 'region' AS region`);
        const expected = region === 'north' ? ['Northern depot', 'Northern yard'] : ['Southern depot'];
        const got = await get('public.regional_sites', bearer(rawToken(json)));
        expect({ json, names: got.names }).toEqual({ json, names: expected });
      }
    }
  });

  it('[DEFENCE] a token without a role claim and an anonymous request do not share a claims-keyed entry', async () => {
    // Both run as the anonymous role; the function shows the claims PostgreSQL was given.
    const anon = await get('public.regional_sites', {}, '1/0/1');
    const noRole = await get('public.regional_sites', bearer(token({ region: 'north' })), '1/0/1');
    expect(anon.status).toBe(noRole.status);
  });

  // ---------------------------------------------------------------- flooding

  it('[FOUND] small tiles do not pin 8 KiB Buffer pool slabs: the memory level holds its own copies, so TileCacheSize counts what is held', async () => {
    const headers = member();
    // Every distinct limit is a distinct statement, hence a distinct entry for the same small tile.
    for (let i = 1; i <= 1500; i++) await get(`public.tiny?limit=${i + 10}`, headers, '1/1/0');
    const memory = ctx.server.app.get(TileCache).memoryLevel!;
    const entries = (memory as unknown as { entries: Map<string, { bytes: Buffer }> }).entries;
    const pinned = new Set<ArrayBufferLike>();
    let pinnedBytes = 0;
    for (const { bytes } of entries.values()) {
      if (pinned.has(bytes.buffer)) continue;
      pinned.add(bytes.buffer);
      pinnedBytes += bytes.buffer.byteLength;
    }
    // eslint-disable-next-line no-console
    console.log(`memory level: ${entries.size} entries, counted ${memory.bytes} B, ArrayBuffers retained ${pinnedBytes} B`);
    expect(pinnedBytes).toBeLessThanOrEqual(memory.bytes * 2);
  }, 120_000);
});

describe('tile cache attacks (Redis shared by two tilegates)', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { TileCacheTTL: 0 }));
  let redis: RedisServer;
  const servers: TestServer[] = [];
  const loginA = `tg_atk_login_a_${process.pid}`;
  const loginB = `tg_atk_login_b_${process.pid}`;

  beforeAll(async () => {
    redis = await startRedisServer();
    await ctx.db.admin(`CREATE ROLE ${loginA} LOGIN; CREATE ROLE ${loginB} LOGIN; GRANT SELECT ON public.member_only TO ${loginA};
      GRANT SELECT ON public.places TO ${loginA}, ${loginB}`);
  });
  afterEach(async () => {
    while (servers.length > 0) await servers.pop()!.close();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await redis?.stop();
    // Whichever of this and serveTestDatabase's afterAll runs first: grants go with the database, or here.
    await ctx.db?.admin(`REVOKE ALL ON public.member_only, public.places FROM ${loginA}, ${loginB}`).catch(() => undefined);
    await withClient(ADMIN_URL, (c) => c.query(`DROP ROLE IF EXISTS ${loginA}; DROP ROLE IF EXISTS ${loginB}`));
  });
  const start = async (settings: Record<string, unknown>) => {
    const server = await startServer({ TileCacheTTL: 60, RedisUrl: redis.url, RedisSecret: REDIS_SECRET, ...settings } as never);
    servers.push(server);
    return server;
  };
  /** Redis trusts itself only after its first epoch bump, and sets are fire-and-forget. */
  const untilShared = async (base: string, layer: string, headers: Record<string, string> = {}) => {
    for (let i = 0; i < 60; i++) {
      const got = await getFrom(base, layer, headers);
      if (got.source === 'hit-shared') return got;
      await sleep(50);
    }
    return getFrom(base, layer, headers);
  };

  /** The tile as PostgreSQL answers it, once the shared level is trusted (a render, not a hit). */
  const untilRendered = async (base: string, headers: Record<string, string>) => {
    for (let i = 0; i < 60; i++) {
      const got = await getFrom(base, 'public.regional_sites', headers);
      if (got.source === 'miss') return got;
      await sleep(50);
    }
    throw new Error('the tile was never rendered for the cache');
  };

  it('[FOUND] two deployments without JWT (login mode) on one database with different login roles never share Redis entries (the login role is in the key)', async () => {
    const a = await start({ DbConnection: databaseUrl(ADMIN_URL, ctx.db.name, loginA) });
    const b = await start({ DbConnection: databaseUrl(ADMIN_URL, ctx.db.name, loginB) });
    expect((await getFrom(b.url, 'public.member_only')).status).toBe(404); // what PostgreSQL says for loginB
    await sleep(300);
    for (let i = 0; i < 5; i++) await getFrom(a.url, 'public.member_only', {}, '0/0/0');
    await sleep(200);
    // B asks for the tile on another replica path: its memory is empty for it; Redis has A's tile.
    const leaked = await getFrom(b.url, 'public.member_only');
    expect(leaked.status).toBe(404);
  }, 60_000);

  it('[FOUND] whoever can write to Redis cannot hand one tenant another tenant\'s tile: an entry swapped between keys fails its seal and is rendered again (RedisSecret, EntrySeal)', async () => {
    const settings = { ...roleSwitching(ctx.db), EnableMetrics: true, Layer: [{ Id: 'public.regional_sites', Cache: 'claims' }] };
    const a = await start(settings);
    const b = await start(settings);
    const as = (region: string) => bearer(token({ role: ctx.db.roles.regional, region }));
    const attacker = new Redis(redis.url);
    try {
      const entries = async () => (await attacker.keys('tilegate:*')).filter((k) => !k.endsWith(':state'));
      // Until A trusts Redis (its first epoch bump), it stores nothing there.
      for (let limit = 1; (await entries()).length === 0; limit++) {
        if (limit > 100) throw new Error('A never stored a tile in Redis');
        await getFrom(a.url, `public.places?limit=${limit}`);
        await sleep(20);
      }
      const before = new Set(await entries());
      const stored = async () => {
        for (let i = 0; i < 60; i++) {
          const fresh = (await entries()).filter((k) => !before.has(k));
          if (fresh.length > 0) return fresh;
          await sleep(50);
        }
        throw new Error('nothing was stored in Redis');
      };
      expect((await untilRendered(a.url, as('north'))).names).toEqual(['Northern depot', 'Northern yard']);
      const [northKey] = await stored();
      before.add(northKey);
      expect((await untilRendered(a.url, as('south'))).names).toEqual(['Southern depot']);
      const [southKey] = await stored();
      // The attacker files the north tenant's entry under the south tenant's key.
      await attacker.set(southKey, (await attacker.getBuffer(northKey))!);
      const south = await getFrom(b.url, 'public.regional_sites', as('south'));
      expect(south.names).toEqual(['Southern depot']);
      expect(south.source).toBe('miss');
      const metrics = await (await fetch(`${b.url}/metrics`)).text();
      expect(metrics).toMatch(/^tilegate_tile_cache_rejected_total 1$/m);
    } finally {
      attacker.disconnect();
    }
  }, 60_000);

  it('[FOUND] a TTL tile taken from Redis keeps its remaining lifetime in memory, so it is never served past TileCacheTTL after its rendering', async () => {
    const settings = { ...roleSwitching(ctx.db), TileCacheTTL: 2 };
    const a = await start(settings);
    const b = await start(settings);
    await sleep(300);
    const layer = 'public.places?limit=7';
    for (let i = 0; i < 3; i++) await getFrom(a.url, layer);
    const renderedAt = Date.now();
    await sleep(1500);
    expect((await untilShared(b.url, layer)).source).toBe('hit-shared');
    await ctx.db.admin(`UPDATE public.places SET name = name || ' (renamed)'`);
    try {
      await sleep(renderedAt + 2600 - Date.now()); // past TileCacheTTL since the render
      const late = await getFrom(b.url, layer);
      expect(late.source).not.toBe('hit');
      expect(late.names.every((n) => n.endsWith('(renamed)'))).toBe(true);
    } finally {
      await ctx.db.admin(`UPDATE public.places SET name = replace(name, ' (renamed)', '')`);
    }
  }, 60_000);
});

/**
 * What PostgreSQL cannot tell: what a function's body reads (function layers, functions a policy
 * or a view calls) is recorded nowhere, so no stamp covers it. GRANT and REVOKE fire the DDL event
 * trigger of sql/tile-cache-invalidation.sql, which clears the cache: with it installed, such a
 * REVOKE applies within a second (docs/scaling.md says so for layers marked Cache).
 */
describe('tile cache attacks: privileges on what a function body reads', () => {
  const ctx = serveTestDatabase('core.sql', (db) =>
    roleSwitching(db, { TileCacheTTL: 60, Layer: [{ Id: 'public.body_fn', Cache: 'role' }] } as never),
  );
  beforeAll(async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    await ctx.db.admin(readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8'));
    await ctx.db.admin(`
      CREATE TABLE public.body_src (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.body_src VALUES (1, 'body', 'SRID=4326;POINT(2 2)');
      GRANT SELECT ON public.body_src TO ${ctx.db.roles.member};
      CREATE FUNCTION public.body_fn(z integer, x integer, y integer) RETURNS bytea LANGUAGE sql STABLE AS $$
        SELECT ST_AsMVT(q, 'public.body_fn') FROM (
          SELECT ST_AsMVTGeom(ST_Transform(s.geom, 3857), ST_TileEnvelope(z, x, y)) AS geom, s.name FROM public.body_src s) q $$;
      GRANT EXECUTE ON FUNCTION public.body_fn(integer, integer, integer) TO ${ctx.db.roles.member};`);
  });

  it('[DEFENCE] a function layer reads a table: with the DDL event trigger, REVOKE SELECT on that table applies within a second', async () => {
    const headers = bearer(token({ role: ctx.db.roles.member }));
    let warmed: Got | undefined;
    for (let i = 0; i < 60 && warmed?.source !== 'hit'; i++) warmed = await getFrom(ctx.server.url, 'public.body_fn', headers);
    expect(warmed).toMatchObject({ status: 200, source: 'hit', names: ['body'] });
    await ctx.db.admin(`REVOKE SELECT ON public.body_src FROM ${ctx.db.roles.member}`);
    const revoked = Date.now();
    let after = await getFrom(ctx.server.url, 'public.body_fn', headers);
    while (after.status === 200 && Date.now() - revoked < 3000) after = await getFrom(ctx.server.url, 'public.body_fn', headers);
    expect(after.status).not.toBe(200);
    expect(Date.now() - revoked).toBeLessThan(1000);
  });
});
