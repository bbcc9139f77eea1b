import { startServer } from './support/test-server';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, token } from './support/tokens';

describe('catalog, as each role sees it', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db));
  const as = (role?: string) => (role ? bearer(token({ role })) : {});
  const index = async (role?: string) => {
    const response = await fetch(`${ctx.server.url}/index.json`, { headers: as(role) });
    expect(response.status).toBe(200);
    return Object.keys(await response.json()).sort();
  };

  it('lists tables, views, materialized views, partitioned tables and functions the anonymous role may use', async () => {
    expect(await index()).toEqual([
      'public.Odd "Name"; x',
      'public.big_places',
      'public.bng_landmarks',
      'public.dated',
      'public.events',
      'public.named_places',
      'public.needs_arg',
      'public.place_names',
      'public.places',
      'public.regional_sites',
      'public.whoami',
      'public.zones',
    ]);
  });

  it('gives each entry pg_tileserv\'s summary fields', async () => {
    const body = await (await fetch(`${ctx.server.url}/index.json`)).json();
    expect(body['public.places']).toEqual({
      type: 'table',
      id: 'public.places',
      name: 'places',
      schema: 'public',
      description: 'Places with known positions',
      detailurl: `${ctx.server.url}/public.places.json`,
    });
    expect(body['public.whoami'].type).toBe('function');
  });

  it('shows the member role its granted table, schema and function as well', async () => {
    const layers = await index(ctx.db.roles.member);
    expect(layers).toEqual(expect.arrayContaining(['public.member_only', 'restricted.secrets', 'public.member_fn', 'public.places']));
  });

  it('never answers one role with the index made for another, however they alternate', async () => {
    // index.json documents are kept as sent; this is the attack on that cache.
    for (let i = 0; i < 3; i++) {
      expect(await index(ctx.db.roles.member)).toContain('public.member_only');
      expect(await index()).not.toContain('public.member_only');
      expect(await index(ctx.db.roles.analyst)).not.toContain('restricted.secrets');
    }
  });

  it('hides a table from a role without USAGE on its schema, even with SELECT on the table', async () => {
    const layers = await index(ctx.db.roles.analyst);
    expect(layers).not.toContain('restricted.secrets');
    const detail = await fetch(`${ctx.server.url}/restricted.secrets.json`, { headers: as(ctx.db.roles.analyst) });
    expect(detail.status).toBe(404);
  });

  it('hides a function whose EXECUTE is revoked, from the catalog and its detail', async () => {
    expect(await index()).not.toContain('public.member_fn');
    expect((await fetch(`${ctx.server.url}/public.member_fn.json`)).status).toBe(404);
    expect((await fetch(`${ctx.server.url}/public.member_fn/0/0/0.pbf`)).status).toBe(404);
  });

  it('follows GRANT and REVOKE on the next request, without a restart', async () => {
    expect(await index()).not.toContain('public.gated');
    expect((await fetch(`${ctx.server.url}/public.gated/0/0/0.pbf`)).status).toBe(404);

    await ctx.db.admin(`GRANT SELECT ON public.gated TO ${ctx.db.roles.anon}`);
    expect(await index()).toContain('public.gated');
    expect((await fetch(`${ctx.server.url}/public.gated/0/0/0.pbf`)).status).toBe(200);

    await ctx.db.admin(`REVOKE SELECT ON public.gated FROM ${ctx.db.roles.anon}`);
    expect(await index()).not.toContain('public.gated');
    expect((await fetch(`${ctx.server.url}/public.gated/0/0/0.pbf`)).status).toBe(404);
  });

  it('finds layers created, and forgets layers dropped, after start', async () => {
    await ctx.db.admin(`CREATE TABLE public.late (id int PRIMARY KEY, geom geometry(Point, 4326)); GRANT SELECT ON public.late TO ${ctx.db.roles.anon}`);
    expect(await index()).toContain('public.late');
    expect((await fetch(`${ctx.server.url}/public.late/0/0/0.pbf`)).status).toBe(200);
    await ctx.db.admin('DROP TABLE public.late');
    expect(await index()).not.toContain('public.late');
    expect((await fetch(`${ctx.server.url}/public.late/0/0/0.pbf`)).status).toBe(404);
  });

  it('follows ADD, RENAME and DROP COLUMN in layer details and tiles, without a restart', async () => {
    await ctx.db.admin(`CREATE TABLE public.growing (id int PRIMARY KEY, geom geometry(Point, 4326)); INSERT INTO public.growing VALUES (1, 'SRID=4326;POINT(1 1)'); GRANT SELECT ON public.growing TO ${ctx.db.roles.anon}`);
    expect((await fetch(`${ctx.server.url}/public.growing/0/0/0.pbf`)).status).toBe(200);
    await ctx.db.admin(`ALTER TABLE public.growing ADD COLUMN colour text DEFAULT 'red'`);
    const detail = await (await fetch(`${ctx.server.url}/public.growing.json`)).json();
    expect(detail.properties.map((p: { name: string }) => p.name)).toEqual(['id', 'colour']);
    await ctx.db.admin('ALTER TABLE public.growing RENAME COLUMN colour TO hue');
    const renamed = await (await fetch(`${ctx.server.url}/public.growing/tilejson.json`)).json();
    expect(Object.keys(renamed.vector_layers[0].fields)).toEqual(['id', 'hue']);
    await ctx.db.admin('ALTER TABLE public.growing DROP COLUMN hue');
    // The cached metadata still names the dropped column: the tile must reload it, not fail.
    expect((await fetch(`${ctx.server.url}/public.growing/0/0/0.pbf`)).status).toBe(200);
    const dropped = await (await fetch(`${ctx.server.url}/public.growing.json`)).json();
    expect(dropped.properties.map((p: { name: string }) => p.name)).toEqual(['id']);
  });

  it('describes a table layer: geometry, srid, properties with types and comments, bounds and center', async () => {
    const detail = await (await fetch(`${ctx.server.url}/public.places.json`)).json();
    expect(detail).toMatchObject({
      type: 'table',
      id: 'public.places',
      geometrytype: 'Point',
      srid: 4326,
      minzoom: 0,
      maxzoom: 22,
      tileurl: `${ctx.server.url}/public.places/{z}/{x}/{y}.pbf`,
    });
    expect(detail.properties).toEqual([
      { name: 'id', type: 'int4', description: '' },
      { name: 'name', type: 'text', description: 'What the place is called' },
      { name: 'kind', type: 'varchar', description: '' },
      { name: 'pop', type: 'int8', description: '' },
      { name: 'active', type: 'bool', description: '' },
    ]);
    // Estimated from statistics: covers the five places, roughly.
    const [west, south, east, north] = detail.bounds;
    expect(west).toBeLessThanOrEqual(-30);
    expect(east).toBeGreaterThanOrEqual(174);
    expect(south).toBeLessThanOrEqual(-41);
    expect(north).toBeGreaterThanOrEqual(53);
    expect(detail.center).toEqual([(west + east) / 2, (south + north) / 2]);
  });

  it('gives a row-secured layer the bounds of the rows the role can see, not of all rows', async () => {
    await ctx.db.admin('ANALYZE public.regional_sites');
    const north = await (await fetch(`${ctx.server.url}/public.regional_sites.json`, { headers: bearer(token({ role: ctx.db.roles.regional, region: 'north' })) })).json();
    expect(north.bounds[1]).toBeGreaterThan(50); // the southern depot at -60 is not revealed
  });

  it('describes a function layer with its arguments, types and defaults', async () => {
    const detail = await (await fetch(`${ctx.server.url}/public.named_places.json`)).json();
    expect(detail).toMatchObject({ type: 'function', id: 'public.named_places', tileurl: `${ctx.server.url}/public.named_places/{z}/{x}/{y}.pbf` });
    expect(detail.arguments).toEqual([
      // Shown as pg_tileserv shows them: a quoted literal's value, without its cast.
      { name: 'prefix', type: 'text', default: '' },
      { name: 'max_rows', type: 'integer', default: '100' },
      { name: 'min_pop', type: 'double precision', default: '0' },
    ]);
  });

  it('serves TileJSON 3.0.0 for MapLibre and OpenLayers', async () => {
    const tilejson = await (await fetch(`${ctx.server.url}/public.places/tilejson.json`)).json();
    expect(tilejson).toMatchObject({
      tilejson: '3.0.0',
      name: 'public.places',
      tiles: [`${ctx.server.url}/public.places/{z}/{x}/{y}.pbf`],
      minzoom: 0,
      maxzoom: 22,
      vector_layers: [{ id: 'public.places', fields: { id: 'int4', name: 'text', kind: 'varchar', pop: 'int8', active: 'bool' } }],
    });
    expect(tilejson.bounds).toHaveLength(4);
    expect(tilejson.center).toHaveLength(3);
  });

  it('escapes odd layer names in the URLs it advertises', async () => {
    const body = await (await fetch(`${ctx.server.url}/index.json`)).json();
    const detailUrl: string = body['public.Odd "Name"; x'].detailurl;
    expect(detailUrl).toBe(`${ctx.server.url}/public.Odd%20%22Name%22%3B%20x.json`);
    const detail = await (await fetch(detailUrl)).json();
    const tile = await fetch(detail.tileurl.replace('{z}/{x}/{y}', '0/0/0'));
    expect(tile.status).toBe(200);
  });

  it('advertises UrlBase and BasePath when set', async () => {
    const other = await startServer(roleSwitching(ctx.db, { UrlBase: 'https://tiles.example.com', BasePath: '/maps' }));
    try {
      const body = await (await fetch(`${other.url}/maps/index.json`)).json();
      expect(body['public.places'].detailurl).toBe('https://tiles.example.com/maps/public.places.json');
      expect((await fetch(`${other.url}/maps/public.places/0/0/0.pbf`)).status).toBe(200);
      expect((await fetch(`${other.url}/index.json`)).status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('marks catalog answers private to the token, and uses CacheTTL for them as for tiles', async () => {
    // CacheTTL 0: no Cache-Control for anonymous answers (as pg_tileserv); a token's are private, revalidated.
    const anonymous = await fetch(`${ctx.server.url}/index.json`);
    expect(anonymous.headers.get('cache-control')).toBeNull();
    const member = await fetch(`${ctx.server.url}/index.json`, { headers: as(ctx.db.roles.member) });
    expect(member.headers.get('cache-control')).toBe('private, no-cache');
    expect(member.headers.get('vary')).toContain('Authorization');
  });
});
