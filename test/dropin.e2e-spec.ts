import { join } from 'node:path';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { startServer } from './support/test-server';
import { bearer, token } from './support/tokens';
import { decodeTile, fetchTile } from './support/mvt';

/**
 * pg_tileserv's URLs, answered as pg_tileserv answers them (the table below), and what its open
 * issues ask for: geography columns, several geometry columns, overloads, column-level GRANTs.
 */
describe('a drop-in for pg_tileserv', () => {
  const ctx = serveTestDatabase('dropin.sql', (db) => roleSwitching(db, { MaxFeaturesPerTile: 1000 }));
  const url = (path: string) => `${ctx.server.url}/${path}`;
  const analyst = () => bearer(token({ role: ctx.db.roles.analyst }));

  // [path, status, layer -> feature count, and the properties of the first feature]
  const COMPATIBILITY: Array<[string, number, Record<string, number>?, Record<string, unknown>?]> = [
    ['public.points/0/0/0.pbf', 200, { 'public.points': 3 }, { gid: 1, name: 'London', kind: 'city' }],
    ['public.points/0/0/0.mvt', 200, { 'public.points': 3 }],
    ['public.points/0/0/0.pbf.gz', 200, { 'public.points': 3 }],
    ['public.points/0/0/0.anything', 200, { 'public.points': 3 }],
    ['public.points/0/0/0.pbf?v=3', 200, { 'public.points': 3 }],
    ['public.points/0/0/0.pbf?LIMIT=1', 200, { 'public.points': 1 }],
    ['public.points/0/0/0.pbf?limit=1&limit=2', 200, { 'public.points': 1 }],
    ['public.points/0/0/0.pbf?limit=0', 200, { 'public.points': 3 }],
    ['public.points/0/0/0.pbf?limit=-1', 200, { 'public.points': 3 }],
    ['public.points/0/0/0.pbf?limit=999999', 200, { 'public.points': 3 }],
    ['public.points/0/0/0.pbf?properties=name', 200, { 'public.points': 3 }, { name: 'London' }],
    ['public.points/0/0/0.pbf?properties=gid,name', 200, { 'public.points': 3 }, { name: 'London' }],
    ['public.points/0/0/0.pbf?properties=name,nosuch', 200, { 'public.points': 3 }, { name: 'London' }],
    ['public.points/0/0/0.pbf?properties=nosuch', 200, { 'public.points': 3 }, { gid: 1, name: 'London', kind: 'city' }],
    ['public.points/0/0/0.pbf?properties=', 200, { 'public.points': 3 }, { gid: 1, name: 'London', kind: 'city' }],
    ['public.points/0/0/0.pbf?buffer=-1', 200, { 'public.points': 3 }],
    ["public.points/0/0/0.pbf?filter=kind%3D'city'", 200, { 'public.points': 2 }],
    ['public.points,public.points/0/0/0.pbf', 200, { 'public.points': 3 }],
    ['public.points,public.routes/0/0/0.pbf', 200, { 'public.points': 3, 'public.routes': 1 }],
    ['public.points,public.labelled/0/0/0.pbf?n=1', 200, { 'public.points': 3, 'public.labelled': 1 }],
    ['public.points/1/0/0.pbf?buffer=0', 200, { 'public.points': 2 }],
    ['public.points/abc/0/0.pbf', 404],
    ['public.points/0/0/0', 404],
    ['public.points/1/2/0.pbf', 400],
    ['public.nosuch/0/0/0.pbf', 404],
  ];

  // Rows of different lengths: the test takes them as one rest parameter, since jest takes a test
  // function that declares more parameters than a row has for one that wants a done callback.
  it.each(COMPATIBILITY)('GET /%s -> %i', async (...row) => {
    const [path, status, counts, firstProperties] = row;
    const response = await fetch(url(path));
    const body = await response.arrayBuffer();
    expect(response.status).toBe(status);
    if (!counts) return;
    const layers = decodeTile(body);
    expect(Object.fromEntries(Object.entries(layers).map(([name, features]) => [name, features.length]))).toEqual(counts);
    if (firstProperties) {
      const first = Object.values(layers)[0].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))[0];
      expect(first.properties).toEqual(firstProperties);
      expect(first.id).toBe(1);
    }
  });

  it('redirects unclean paths and trailing slashes, as pg_tileserv does, keeping the query', async () => {
    for (const [from, to] of [
      ['/public.points//0/0/0.pbf?limit=1', '/public.points/0/0/0.pbf?limit=1'],
      ['/index.json/', '/index.json'],
      ['/public.points.json/', '/public.points.json'],
    ]) {
      const response = await fetch(`${ctx.server.url}${from}`, { redirect: 'manual' });
      expect({ from, status: response.status, location: response.headers.get('location') }).toEqual({ from, status: 301, location: to });
    }
  });

  it('shows function argument defaults as pg_tileserv shows them', async () => {
    const detail = await (await fetch(url('public.defaults.json'))).json();
    expect(detail.arguments).toEqual([
      { name: 'kind', type: 'text', default: 'school' },
      { name: 'n', type: 'integer', default: '-123' },
      { name: 'r', type: 'numeric', default: '-123.13' },
    ]);
  });

  it('builds URLs from the Forwarded header (RFC 7239)', async () => {
    const index = await (await fetch(url('index.json'), { headers: { Forwarded: 'for=192.0.2.1;host=maps.example.org;proto=https' } })).json();
    expect(index['public.points'].detailurl).toBe('https://maps.example.org/public.points.json');
  });

  describe('beyond pg_tileserv', () => {
    it('serves geography columns (pg_tileserv #46)', async () => {
      const detail = await (await fetch(url('public.tracks.json'))).json();
      expect(detail).toMatchObject({ geometrytype: 'LineString', srid: 4326 });
      expect(detail.bounds[0]).toBeCloseTo(-10, 3);
      const tracks = (await fetchTile(url('public.tracks/0/0/0.pbf')))['public.tracks'];
      expect(tracks.map((f) => f.properties.label)).toEqual(['crossing']);
      expect(tracks[0].type).toBe(2);
    });

    it('serves each geometry column of a relation, the first as schema.table (pg_tileserv #85)', async () => {
      const index = await (await fetch(url('index.json'))).json();
      expect(Object.keys(index)).toEqual(expect.arrayContaining(['public.routes', 'public.routes.path']));
      expect((await (await fetch(url('public.routes.json'))).json()).geometrytype).toBe('Point');
      expect((await (await fetch(url('public.routes.path.json'))).json()).geometrytype).toBe('LineString');
      expect((await fetchTile(url('public.routes.path/0/0/0.pbf')))['public.routes.path'][0].type).toBe(2);
      expect((await fetchTile(url('public.routes/0/0/0.pbf')))['public.routes'][0].type).toBe(1);
    });

    it('serves overloads of one function as one layer, picking the overload by the arguments given', async () => {
      const says = async (query: string) => (await fetchTile(url(`public.labelled/0/0/0.pbf?${query}`)))['public.labelled'][0].properties.says;
      expect(await says('name=x')).toBe('by name: x');
      expect(await says('n=7')).toBe('by number: 7');
      const neither = await fetch(url('public.labelled/0/0/0.pbf'));
      expect(neither.status).toBe(400);
      expect((await neither.json()).message).toMatch(/no version of this function/);
      const detail = await (await fetch(url('public.labelled.json'))).json();
      expect(detail.overloads.map((o: { arguments: Array<{ name: string }> }) => o.arguments.map((a) => a.name))).toEqual([['name'], ['n']]);
    });

    it('serves a role with column-level GRANTs the columns it may read, instead of a 404', async () => {
      const index = await (await fetch(url('index.json'), { headers: analyst() })).json();
      expect(Object.keys(index)).toContain('public.parcels');
      expect(Object.keys(index)).not.toContain('public.hidden_geom');
      const detail = await (await fetch(url('public.parcels.json'), { headers: analyst() })).json();
      expect(detail.properties.map((p: { name: string }) => p.name)).toEqual(['id', 'value']);
      const [parcel] = (await fetchTile(url('public.parcels/0/0/0.pbf'), analyst()))['public.parcels'];
      // (ST_AsMVT sends numeric as text.)
      expect(parcel).toMatchObject({ id: 1, properties: { id: 1, value: '1000' } });
      const member = (await fetchTile(url('public.parcels/0/0/0.pbf'), bearer(token({ role: ctx.db.roles.member }))))['public.parcels'][0];
      expect(member.properties).toEqual({ id: 1, owner_name: 'A. Smith', value: '1000' });
      // A filter on a column it may not read: not its property.
      const filtered = await fetch(url(`public.parcels/0/0/0.pbf?filter=${encodeURIComponent("owner_name = 'x'")}`), { headers: analyst() });
      expect(filtered.status).toBe(400);
      expect((await fetch(url('public.hidden_geom/0/0/0.pbf'), { headers: analyst() })).status).toBe(404);
    });
  });
});

describe('pg_tileserv settings, with their meaning', () => {
  const ctx = serveTestDatabase('dropin.sql', (db) =>
    roleSwitching(db, {
      HealthEndpoint: '/alive',
      ExcludeLayers: ['public.routes*'],
      Layer: [
        { Id: 'public.points', MinZoom: 3, MaxZoom: 12, Properties: ['name'], Limit: 2 },
        { Id: 'public.tracks', Buffer: 0, Resolution: 512 },
      ],
    } as never),
  );
  const url = (path: string) => `${ctx.server.url}/${path}`;

  it('serves health at HealthEndpoint', async () => {
    expect(await (await fetch(url('alive'))).json()).toEqual({ status: 'ok' });
    expect((await fetch(url('alive/ready'))).status).toBe(200);
    expect((await fetch(url('health'))).status).toBe(404);
  });

  it('applies [[Layer]] settings: zooms advertised, properties served, limit as default and maximum', async () => {
    const detail = await (await fetch(url('public.points.json'))).json();
    expect(detail).toMatchObject({ minzoom: 3, maxzoom: 12 });
    expect(detail.properties.map((p: { name: string }) => p.name)).toEqual(['gid', 'name']);
    expect((await (await fetch(url('public.points/tilejson.json'))).json()).vector_layers[0]).toMatchObject({ minzoom: 3, maxzoom: 12 });
    const features = (await fetchTile(url('public.points/0/0/0.pbf?limit=50')))['public.points'];
    expect(features).toHaveLength(2);
    expect(Object.keys(features[0].properties).sort()).toEqual(['gid', 'name']);
    // A layer without settings keeps the defaults.
    expect((await (await fetch(url('public.tracks.json'))).json()).minzoom).toBe(0);
  });

  it('leaves out layers the catalog scope excludes, for every role', async () => {
    const index = await (await fetch(url('index.json'))).json();
    expect(Object.keys(index)).not.toContain('public.routes');
    expect(Object.keys(index)).not.toContain('public.routes.path');
    expect(Object.keys(index)).toContain('public.points');
    expect((await fetch(url('public.routes/0/0/0.pbf'))).status).toBe(404);
  });
});

describe('[CoordinateSystem]: tiles on another grid, as pg_tileserv', () => {
  const ctx = serveTestDatabase('dropin.sql', (db) => roleSwitching(db, { CoordinateSystem: { SRID: 4326, Xmin: -180, Ymin: -180, Xmax: 180, Ymax: 180 } } as never));

  it('makes tile envelopes in the configured SRID and bounds', async () => {
    // On this grid, tile 1/0/0 is lon -180..0, lat 0..180 (as pg_tileserv computes it): London and the buoy, not Paris.
    const west = (await fetchTile(`${ctx.server.url}/public.points/1/0/0.pbf?buffer=0`))['public.points'];
    expect(west.map((f) => f.properties.name).sort()).toEqual(['Buoy', 'London']);
    const east = (await fetchTile(`${ctx.server.url}/public.points/1/1/0.pbf?buffer=0`))['public.points'];
    expect(east.map((f) => f.properties.name)).toEqual(['Paris']);
  });
});

describe("AssetsPath: pg_tileserv's own page templates", () => {
  const assets = join(__dirname, 'fixtures', 'pg_tileserv-assets');
  const ctx = serveTestDatabase('dropin.sql', (db) => roleSwitching(db, { AssetsPath: assets }));

  it('renders the layer list and the previews from the templates, as the role sees the layers', async () => {
    const index = await fetch(`${ctx.server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    const html = await index.text();
    expect(html).toContain('public.points');
    expect(html).not.toContain('public.parcels');
    const analystHtml = await (await fetch(`${ctx.server.url}/index.html`, { headers: bearer(token({ role: ctx.db.roles.analyst })) })).text();
    expect(analystHtml).toContain('public.parcels');
    const preview = await (await fetch(`${ctx.server.url}/public.points.html`)).text();
    expect(preview).toContain('public.points');
    expect((await fetch(`${ctx.server.url}/public.labelled.html`)).status).toBe(200);
    expect((await fetch(`${ctx.server.url}/public.parcels.html`)).status).toBe(404);
  });
});

describe('advertised URLs and cache headers, as pg_tileserv gives them', () => {
  const ctx = serveTestDatabase('dropin.sql');
  const detailUrl = async (settings: Record<string, unknown>, headers: Record<string, string> = {}, path = '') => {
    const server = await startServer(roleSwitching(ctx.db, settings as never));
    try {
      const index = await (await fetch(`${server.url}${path}/index.json`, { headers })).json();
      return index['public.points'].detailurl as string;
    } finally {
      await server.close();
    }
  };

  it.each([
    [{}, {}, '', /^http:\/\/127\.0\.0\.1:\d+\/public\.points\.json$/],
    [{ BasePath: '/tiles' }, {}, '/tiles', /^http:\/\/127\.0\.0\.1:\d+\/tiles\/public\.points\.json$/],
    [{ UrlBase: 'http://example.com' }, {}, '', /^http:\/\/example\.com\/public\.points\.json$/],
    [{ UrlBase: 'http://example.com/tiles' }, {}, '', /^http:\/\/example\.com\/public\.points\.json$/],
    [{ UrlBase: 'http://example.com/tiles/', BasePath: 'foo' }, {}, '/foo', /^http:\/\/example\.com\/tiles\/foo\/public\.points\.json$/],
    [{ UrlBase: 'http://example.com/', BasePath: '/tiles/' }, {}, '/tiles', /^http:\/\/example\.com\/tiles\/public\.points\.json$/],
    [{}, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'maps.example.org' }, '', /^https:\/\/maps\.example\.org\/public\.points\.json$/],
    [{ BasePath: '/tiles' }, { 'X-Forwarded-Host': 'maps.example.org' }, '/tiles', /^http:\/\/maps\.example\.org\/tiles\/public\.points\.json$/],
    [{}, { Forwarded: 'for=1.2.3.4;host=maps.example.org;proto=https', 'X-Forwarded-Host': 'other' }, '', /^https:\/\/maps\.example\.org\/public\.points\.json$/],
    [{}, { Forwarded: 'proto=https' }, '', /^http:\/\/127\.0\.0\.1:\d+\/public\.points\.json$/],
    [{ UrlBase: 'https://cdn.example' }, { 'X-Forwarded-Host': 'ignored.example' }, '', /^https:\/\/cdn\.example\/public\.points\.json$/],
  ])('settings %j with headers %j advertise %s', async (settings, headers, path, expected) => {
    expect(await detailUrl(settings, headers, path)).toMatch(expected);
  });

  it('gives the catalog CacheTTL as max-age, as tiles, and none with a TTL of 0 for anonymous answers', async () => {
    const cached = await startServer(roleSwitching(ctx.db, { CacheTTL: 120 }));
    try {
      for (const path of ['index.json', 'public.points.json', 'public.points/tilejson.json', 'public.points/0/0/0.pbf']) {
        expect((await fetch(`${cached.url}/${path}`)).headers.get('cache-control')).toBe('public, max-age=120');
        expect((await fetch(`${cached.url}/${path}`, { headers: bearer(token({ role: ctx.db.roles.member })) })).headers.get('cache-control')).toBe('private, max-age=120');
      }
    } finally {
      await cached.close();
    }
    expect((await fetch(`${ctx.server.url}/public.points.json`)).headers.get('cache-control')).toBeNull();
  });
});
