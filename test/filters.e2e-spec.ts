import { withClient } from '../scripts/lib/pg-admin';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { fetchTile } from './support/mvt';

/**
 * CQL2 filters on decoded tiles: each operator gives exactly the features the same predicate
 * selects in SQL, run as the same role (on the world tile, where the limit is not reached).
 */
describe('filters on tiles', () => {
  const ctx = serveTestDatabase('filters.sql', (db) => roleSwitching(db, { MaxFeaturesPerTile: 1000 }));
  const tileIds = async (layer: string, query: string, headers: Record<string, string> = {}) =>
    ((await fetchTile(`${ctx.server.url}/${layer}/0/0/0.pbf?${query}`, headers))[layer] ?? []).map((f) => f.id as number).sort((a, b) => a - b);
  const sqlIds = (where: string, table = 'public.sites', role = ctx.db.roles.anon) =>
    withClient(ctx.db.adminUrl, async (c) => {
      await c.query(`SET ROLE ${role}`);
      return (await c.query(`SELECT id FROM ${table} t WHERE ${where} ORDER BY id`)).rows.map((r) => r.id as number);
    });

  const CQL2: Array<[string, string]> = [
    ["kind = 'city'", "kind = 'city'"],
    ["kind <> 'city'", "kind <> 'city'"],
    ['pop > 5000000', 'pop > 5000000'],
    ['pop >= 2500000 AND pop < 6000000', 'pop >= 2500000 AND pop < 6000000'],
    ['rating <= 1.5', 'rating <= 1.5'],
    ['pop + 1 > 5000000', 'pop + 1 > 5000000'],
    ['pop * 2 < 10000000 OR rating > 4', 'pop * 2 < 10000000 OR rating > 4'],
    ["name LIKE 'Alpha%'", "name LIKE 'Alpha%'"],
    ["name NOT LIKE '%a%'", "name NOT LIKE '%a%'"],
    ["CASEI(name) LIKE CASEI('alp%')", "lower(name) LIKE 'alp%'"],
    ["kind IN ('town', 'port')", "kind IN ('town', 'port')"],
    ["kind NOT IN ('town', 'port')", "kind NOT IN ('town', 'port')"],
    ['pop BETWEEN 1000000 AND 4000000', 'pop BETWEEN 1000000 AND 4000000'],
    ['pop IS NULL', 'pop IS NULL'],
    ['name IS NOT NULL AND active = true', 'name IS NOT NULL AND active'],
    ['active = false', 'active = false'],
    ['NOT (active = true)', 'NOT (active = true)'],
    ["opened > DATE('2010-01-01')", "opened > date '2010-01-01'"],
    ["updated < TIMESTAMP('2020-06-01T00:00:00Z')", "updated < timestamptz '2020-06-01T00:00:00Z'"],
    ["T_AFTER(opened, DATE('2015-01-01'))", "opened > date '2015-01-01'"],
    ['S_INTERSECTS(geom, POLYGON((-180 0, 0 0, 0 90, -180 90, -180 0)))', "ST_Intersects(geom, 'SRID=4326;POLYGON((-180 0, 0 0, 0 90, -180 90, -180 0))')"],
    ['S_WITHIN(geom, BBOX(0, -90, 180, 0))', "ST_Within(geom, ST_MakeEnvelope(0, -90, 180, 0, 4326))"],
    ['S_DISJOINT(geom, BBOX(-180, -90, 0, 90))', "NOT ST_Intersects(geom, ST_MakeEnvelope(-180, -90, 0, 90, 4326))"],
    ["region = kind OR name = 'Bravo 1'", "region = kind OR name = 'Bravo 1'"],
  ];

  it.each(CQL2)('%s gives the features of: %s', async (filter, byHand) => {
    const expected = await sqlIds(byHand);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(40);
    expect(await tileIds('public.sites', `filter=${encodeURIComponent(filter)}`)).toEqual(expected);
  });

  // pg_tileserv's own spellings (its cql/ grammar) mean what they mean there.
  const PG_TILESERV: Array<[string, string]> = [
    ['INTERSECTS(geom, POLYGON((-180 0, 0 0, 0 90, -180 90, -180 0)))', 'S_INTERSECTS(geom, POLYGON((-180 0, 0 0, 0 90, -180 90, -180 0)))'],
    ['WITHIN(geom, ENVELOPE(0, -90, 180, 0))', 'S_WITHIN(geom, BBOX(0, -90, 180, 0))'],
    ['DISJOINT(geom, ENVELOPE(-180, -90, 0, 90))', 'S_DISJOINT(geom, BBOX(-180, -90, 0, 90))'],
    ['opened > 2010-01-01', "opened > DATE('2010-01-01')"],
    ['updated < 2020-06-01T00:00:00Z', "updated < TIMESTAMP('2020-06-01T00:00:00Z')"],
    ["name ILIKE 'alp%'", "CASEI(name) LIKE CASEI('alp%')"],
  ];

  it.each(PG_TILESERV)("pg_tileserv's %s gives the features of %s", async (theirs, cql2) => {
    const expected = await tileIds('public.sites', `filter=${encodeURIComponent(cql2)}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(await tileIds('public.sites', `filter=${encodeURIComponent(theirs)}`)).toEqual(expected);
  });

  it("pg_tileserv's DWITHIN measures in the column's units", async () => {
    expect(await tileIds('public.sites', `filter=${encodeURIComponent('DWITHIN(geom, POINT(0 40), 30)')}`)).toEqual(await sqlIds("ST_DWithin(geom, 'SRID=4326;POINT(0 40)', 30)"));
  });

  it('takes the filter CRS from filter-crs', async () => {
    const box = [-20037508, 0, 0, 20037508];
    const inMercator = await tileIds('public.sites', `filter=${encodeURIComponent(`S_INTERSECTS(geom, BBOX(${box.join(', ')}))`)}&filter-crs=3857`);
    expect(inMercator).toEqual(await sqlIds('ST_Intersects(geom, ST_MakeEnvelope(-180, 0, 0, 85.0511, 4326))'));
    expect(await tileIds('public.sites', `filter=${encodeURIComponent(`S_INTERSECTS(geom, BBOX(${box.join(', ')}))`)}&filter-crs=http://www.opengis.net/def/crs/EPSG/0/3857`)).toEqual(inMercator);
  });

  it('works with limit, properties and filter-lang together', async () => {
    const tile = await fetchTile(`${ctx.server.url}/public.sites/0/0/0.pbf?filter=${encodeURIComponent("kind = 'city'")}&filter-lang=cql2-text&limit=3&properties=name`);
    expect(tile['public.sites']).toHaveLength(3);
    for (const feature of tile['public.sites']) expect(Object.keys(feature.properties)).toEqual(expect.arrayContaining(['name']));
    expect((await sqlIds("kind = 'city'")).length).toBeGreaterThan(3);
  });

  it('applies row level security under the filter', async () => {
    const north = bearer(token({ role: ctx.db.roles.regional, region: 'north' }));
    const filtered = await tileIds('public.sites', `filter=${encodeURIComponent('pop > 2000000')}`, north);
    expect(filtered).toEqual(await sqlIds("pop > 2000000 AND region = 'north'"));
    expect(filtered.length).toBeGreaterThan(0);
  });

  it('checks a filter against each layer of a multi-layer tile, and names the one that lacks a column', async () => {
    const both = await fetchTile(`${ctx.server.url}/public.sites,public.roads/0/0/0.pbf?filter=${encodeURIComponent("name LIKE 'Alpha%'")}`);
    expect(both['public.roads'].map((f) => f.id)).toEqual([1]);
    expect(both['public.sites'].map((f) => f.id as number).sort((a, b) => a - b)).toEqual(await sqlIds("name LIKE 'Alpha%'"));
    const response = await fetch(`${ctx.server.url}/public.sites,public.roads/0/0/0.pbf?filter=${encodeURIComponent('pop > 1')}`);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/public\.roads has no property 'pop'/);
  });

  it('treats an empty filter as none', async () => {
    expect(await tileIds('public.sites', 'filter=')).toHaveLength(40);
  });

  it.each([
    ['a syntax error', "kind = 'city' AND", /filter: .*at character \d+/],
    ['an unknown column', "knd = 'city'", /public\.sites has no property 'knd'/],
    ['a type mismatch', "pop = 'many'", /pop/],
    ['an unclosed string', "kind = 'city", /at character/],
    ['an unknown function', 'FOO(kind) = 1', /FOO|function/i],
    ['a filter nested too deep', `${'('.repeat(40)}pop > 1${')'.repeat(40)}`, /deep|nest/i],
  ])('answers %s with a 400 that says where', async (_what, filter, message) => {
    const response = await fetch(`${ctx.server.url}/public.sites/0/0/0.pbf?filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe('invalid_filter');
    expect(body.message).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/SELECT|OPERATOR|pg_catalog/);
  });

  it.each([
    ['filter-lang=cql2-json', /filter-lang/],
    ['filter-crs=EPSG:999999', /filter-crs/],
    ['filter-crs=EPSG:12345', /filter-crs.*spatial_ref_sys/],
    [`filter=${'a'.repeat(9000)}`, /filter/],
  ])('refuses %s', async (query, message) => {
    const filter = query.startsWith('filter=') ? '' : `filter=${encodeURIComponent('S_INTERSECTS(geom, POINT(0 0))')}&`;
    const response = await fetch(`${ctx.server.url}/public.sites/0/0/0.pbf?${filter}${query}`);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(message);
  });

  it('uses the index on a filtered column, as the hand-written predicate does', async () => {
    const plan = await withClient(ctx.db.adminUrl, async (c) => {
      await c.query('SET enable_seqscan = off');
      return (await c.query(`EXPLAIN SELECT id FROM public.sites t WHERE t."pop" OPERATOR(pg_catalog.>) '9000000'::pg_catalog.int8`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index|Bitmap/);
  });
});
