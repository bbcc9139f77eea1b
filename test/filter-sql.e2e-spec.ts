import { Client } from 'pg';
import { filterSql, FilterTarget, parseFilter } from '../apps/tilegate/src/filter';
import { CQL2_EXAMPLES, CQL2_REFUSED, cql2ExampleTarget } from '../apps/tilegate/src/filter/cql2-examples';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** [CQL2 or pg_tileserv filter, the same predicate written by hand] over public.fixture (test/fixtures/filter.sql). */
const CASES: ReadonlyArray<[string, string]> = [
  ['i4 = 50', 'i4 = 50'], ['i4 <> 50', 'i4 <> 50'], ['i4 < 0', 'i4 < 0'], ['i4 >= 100.5', 'i4 >= 100.5'], ['i4 <= -100', 'i4 <= -100'],
  ['i8 > 20000000000', 'i8 > 20000000000'], ['i8 < 99999999999999999999 AND i8 > 12e9', 'i8 < 99999999999999999999 AND i8 > 12e9'], ['f8 > 3.3', 'f8 > 3.3'],
  ['num BETWEEN 5 AND 20.5', 'num BETWEEN 5 AND 20.5'], ['num NOT BETWEEN 5 AND 20.5', 'num NOT BETWEEN 5 AND 20.5'],
  ["txt = 'London'", "txt = 'London'"], [`txt = 'O''Brien''s "Pub"'`, `txt = 'O''Brien''s "Pub"'`], ["txt = 'back\\slash'", "txt = 'back\\slash'"],
  ["txt LIKE '100\\%'", "txt LIKE '100\\%'"], ["txt LIKE 'back\\\\slash'", "txt LIKE 'back\\\\slash'"], ["txt LIKE 'under\\_%'", "txt LIKE 'under\\_%'"],
  ["txt NOT LIKE '%a%'", "txt NOT LIKE '%a%'"], ["vc ILIKE 'L%'", "vc ILIKE 'L%'"], ["txt NOT ILIKE 'straße'", "txt NOT ILIKE 'straße'"],
  ["CASEI(txt) = CASEI('PARIS')", "lower(txt) = lower('PARIS')"], ["CASEI(vc) LIKE CASEI('%ON%')", "lower(vc) LIKE lower('%ON%')"],
  ["txt IN ('London', 'Paris', 'Zürich')", "txt IN ('London', 'Paris', 'Zürich')"], ['i4 NOT IN (50, 60, 2.5)', 'i4 NOT IN (50, 60, 2.5)'], ["'Paris' IN (txt, vc)", "'Paris' IN (txt, vc)"],
  ['txt IS NULL', 'txt IS NULL'], ['NOT txt IS NOT NULL OR flag IS NULL', 'NOT txt IS NOT NULL OR flag IS NULL'], ['tags IS NOT NULL', 'tags IS NOT NULL'],
  ['flag = TRUE', 'flag = true'], ['flag <> FALSE AND i4 > 0', 'flag <> false AND i4 > 0'], ["code = 'ab'", "code = 'ab'"], ["code > 'ab  '", "code > 'ab'"],
  ["uid = '8f14e45f-ceea-167a-5a36-dedd4bea2543' OR uid = 'E4DA3B7FBBCE2345D7772B0674A318D5'", "uid IN (md5('7')::uuid, md5('5')::uuid)"],
  ["\"Label\" = 'L5' OR label = 'L6' OR \"we\"\"ird\" = 'x'", `"Label" IN ('L5', 'L6') OR "we""ird" = 'x'`],
  ["day > DATE('2020-06-01')", "day > date '2020-06-01'"], ['day >= 2020-06-01 AND day < 2020-09-01', "day >= '2020-06-01' AND day < '2020-09-01'"],
  ["ts > TIMESTAMP('2020-03-01T00:00:00Z')", "ts > '2020-03-01T00:00:00Z'::timestamptz"], ["ts < TIMESTAMP('2020-03-01T12:00:00+02:00')", "ts < '2020-03-01T10:00:00Z'::timestamptz"],
  ["ts > DATE('2020-03-01')", "ts > '2020-03-01T00:00:00Z'::timestamptz"], ["seen > TIMESTAMP('2020-03-01T00:00:00Z')", "seen > timestamp '2020-03-01 00:00:00'"],
  ['ts BETWEEN 2020-02-01 AND 2020-04-01T00:00Z', "ts BETWEEN '2020-02-01T00:00:00Z' AND '2020-04-01T00:00:00Z'"],
  ["T_BEFORE(day, DATE('2020-05-01'))", "day < '2020-05-01'"], ["T_AFTER(ts, TIMESTAMP('2020-05-01T00:00:00Z'))", "ts > '2020-05-01T00:00:00Z'"],
  ["T_EQUALS(day, DATE('2020-01-11'))", "day = '2020-01-11'"], ["T_DISJOINT(day, DATE('2020-01-11'))", "day <> '2020-01-11'"],
  ["T_INTERSECTS(ts, INTERVAL('2020-02-01T00:00:00Z', '2020-04-01T00:00:00Z'))", "ts BETWEEN '2020-02-01T00:00:00Z' AND '2020-04-01T00:00:00Z'"],
  ["T_DURING(INTERVAL(ts, ts_end), INTERVAL('2020-02-01', '..'))", "ts > '2020-02-01T00:00:00Z' AND ts_end IS NOT NULL"],
  ["T_OVERLAPS(INTERVAL(ts, ts_end), INTERVAL('2020-03-01T00:00:00Z', '2020-06-01T00:00:00Z'))", "ts < '2020-03-01T00:00:00Z' AND ts_end > '2020-03-01T00:00:00Z' AND ts_end < '2020-06-01T00:00:00Z'"],
  ["T_CONTAINS(INTERVAL(ts, ts_end), INTERVAL('2020-03-06T00:00:00Z', '2020-03-07T00:00:00Z'))", "ts < '2020-03-06T00:00:00Z' AND ts_end > '2020-03-07T00:00:00Z'"],
  ['T_BEFORE(day, NOW()) AND ts < NOW()', 'day < now() AND ts < now()'], ['day < ts_end', 'day < ts_end'], ['i8 > i4 * 10000000 + 25e9', 'i8 > i4 * 10000000 + 25e9'],
  ['i4 + 10 > i4 * 2', 'i4 + 10 > i4 * 2'], ['i4 / 4 = 2.5', 'i4::numeric / 4 = 2.5'], ['i4 div 4 = -12', 'i4 / 4 = -12'], ['i4 % 3 = 0', 'i4 % 3 = 0'],
  ['f8 % 2 = 0.5', 'f8::numeric % 2 = 0.5'], ['-i4 > 50', '-i4 > 50'], ['i4 ^ 2 > 10000', 'i4::float8 ^ 2 > 10000'], ['(i4 + 1) * 2 > (f8 - 1)', '(i4 + 1) * 2 > (f8 - 1)'],
  ["(i4 > 0 AND (txt LIKE 'L%' OR flag = TRUE)) OR NOT (day > 2020-06-01)", "(i4 > 0 AND (txt LIKE 'L%' OR flag)) OR NOT (day > '2020-06-01')"],
  ['S_INTERSECTS(geom, BBOX(-20, -30, 60, 20))', 'ST_Intersects(geom, ST_MakeEnvelope(-20, -30, 60, 20, 4326))'],
  ['INTERSECTS(geom, ENVELOPE(-20, -30, 60, 20))', 'ST_Intersects(geom, ST_MakeEnvelope(-20, -30, 60, 20, 4326))'],
  ['S_WITHIN(geom, POLYGON((-30 -40, 40 -40, 40 60, -30 60, -30 -40)))', "ST_Within(geom, 'SRID=4326;POLYGON((-30 -40, 40 -40, 40 60, -30 60, -30 -40))')"],
  ['S_DISJOINT(geom, POLYGON((-30 -40, 40 -40, 40 60, -30 60, -30 -40)))', "ST_Disjoint(geom, 'SRID=4326;POLYGON((-30 -40, 40 -40, 40 60, -30 60, -30 -40))')"],
  ['S_EQUALS(geom, POINT(5 -25)) OR S_CONTAINS(geom, POINT(12 -22))', "ST_Equals(geom, 'SRID=4326;POINT(5 -25)') OR ST_Contains(geom, 'SRID=4326;POINT(12 -22)')"],
  ['S_TOUCHES(geom, LINESTRING(5 -25, 0 0))', "ST_Touches(geom, 'SRID=4326;LINESTRING(5 -25, 0 0)')"],
  ['S_OVERLAPS(geom, MULTIPOINT((5 -25), (100 80))) OR S_CROSSES(geom, LINESTRING(0 -30, 10 -20))', 'false'],
  ['S_OVERLAPS(POLYGON((0 0, 2 0, 2 2, 0 2, 0 0)), POLYGON((1 1, 3 1, 3 3, 1 3, 1 1))) AND i4 > 0', "ST_Overlaps('SRID=4326;POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))', 'SRID=4326;POLYGON((1 1, 3 1, 3 3, 1 3, 1 1))') AND i4 > 0"],
  ['S_CROSSES(LINESTRING(0 0, 2 2), POLYGON((1 0, 3 0, 3 3, 1 3, 1 0))) AND i4 < 0', "ST_Crosses('SRID=4326;LINESTRING(0 0, 2 2)', 'SRID=4326;POLYGON((1 0, 3 0, 3 3, 1 3, 1 0))') AND i4 < 0"],
  ['S_INTERSECTS(geom, GEOMETRYCOLLECTION(POINT(5 -25), POLYGON((0 -30, 40 -30, 40 0, 0 -30))))', "ST_Intersects(geom, 'SRID=4326;GEOMETRYCOLLECTION(POINT(5 -25), POLYGON((0 -30, 40 -30, 40 0, 0 -30)))')"],
  ['S_INTERSECTS(geom, POLYGON((0 -50, 60 50, 60 -50, 0 50, 0 -50)))', "ST_Intersects(geom, ST_MakeValid('SRID=4326;POLYGON((0 -50, 60 50, 60 -50, 0 50, 0 -50))'))"],
  ['S_INTERSECTS(geom, BBOX(150, -90, -170, 90))', 'ST_X(geom) >= 150'], ['DWITHIN(geom, POINT(0 0), 30)', "ST_DWithin(geom, 'SRID=4326;POINT(0 0)', 30)"],
];
/** Predicates that are rightly true for no row (a point never crosses anything). */
const NONE_EXPECTED = new Set(['S_OVERLAPS(geom, MULTIPOINT((5 -25), (100 80))) OR S_CROSSES(geom, LINESTRING(0 -30, 10 -20))']);

describe('filter SQL against PostGIS', () => {
  let db: TestDatabase;
  let client: Client;
  /** pg_catalog after the attacker's schema: every unqualified name can be hijacked. */
  let hostile: Client;
  /** The attacker's schema first, pg_catalog implicitly before it: PostGIS names can be hijacked. */
  let hostileBeforePostgis: Client;
  let fixture: FilterTarget;
  const options = { postgisSchema: 'public', filterSrid: 4326 };

  async function connect(searchPath: string): Promise<Client> {
    const c = new Client({ connectionString: db.adminUrl });
    await c.connect();
    // A zone far from UTC, with half-hour offsets: SQL that leaned on the session's zone would show it.
    await c.query(`SET TimeZone = 'Pacific/Chatham'; SET search_path = ${searchPath}`);
    return c;
  }

  async function targetOf(table: string, geometryColumn: string, geometryKind: 'geometry' | 'geography' = 'geometry'): Promise<FilterTarget> {
    const { rows } = await client.query(
      `SELECT a.attname AS name, t.typname AS type, postgis_typmod_srid(a.atttypmod) AS srid FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
       WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [table],
    );
    const columns = rows.filter((r) => r.name !== geometryColumn).map((r) => ({ name: r.name, type: r.type }));
    const srid = rows.find((r) => r.name === geometryColumn).srid;
    return { layerId: table, columns, geometryColumn, geometryKind, srid, alias: 't' };
  }

  const ids = async (c: Client, where: string, table = 'public.fixture') =>
    (await c.query(`SELECT id FROM ${table} t WHERE ${where} ORDER BY id`)).rows.map((r) => r.id as number);
  const compile = (text: string, target = fixture, filterSrid = 4326) => filterSql(parseFilter(text), target, { ...options, filterSrid });

  beforeAll(async () => {
    db = await createTestDatabase('filter.sql');
    client = await connect('"$user", public');
    hostile = await connect('hostile, public, pg_catalog');
    hostileBeforePostgis = await connect('hostile, public');
    fixture = await targetOf('public.fixture', 'geom');
  });
  afterAll(async () => {
    await client?.end();
    await hostile?.end();
    await hostileBeforePostgis?.end();
    await db?.drop();
  });

  it.each(CASES)('%s selects the rows of: %s', async (filter, byHand) => {
    const expected = await ids(client, byHand);
    if (!NONE_EXPECTED.has(filter)) expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(30);
    expect(await ids(client, compile(filter))).toEqual(expected);
  });

  it('selects the same rows with a hostile search_path, whose look-alikes never run', async () => {
    for (const c of [hostile, hostileBeforePostgis]) {
      for (const [filter, byHand] of CASES) expect([filter, await ids(c, compile(filter))]).toEqual([filter, await ids(client, byHand)]);
    }
    // The look-alikes are real: unqualified SQL, as a hand-written filter would be, runs them.
    for (const sql of ["lower(txt) = 'paris'", 'i4 = 50', 'i4 = 50::int8', "txt LIKE 'L%'", 'i4 BETWEEN 1 AND 9', 'i4 IN (1, 2)', 'now() > ts', 'ST_Intersects(geom, geom)']) {
      await expect(ids(hostile, sql)).rejects.toThrow('a hostile look-alike ran');
    }
    await expect(ids(hostileBeforePostgis, 'ST_Intersects(geom, geom)')).rejects.toThrow('a hostile look-alike ran');
  });

  it('(PostGIS itself looks spatial_ref_sys up with the session operators: a limit of any SQL it runs)', async () => {
    const transform = "public.ST_Transform(public.ST_GeomFromText('POINT(1 1)'::pg_catalog.text, 4326), 3857) IS NOT NULL";
    await expect(ids(hostile, transform)).rejects.toThrow('a hostile look-alike ran');
    expect(await ids(hostileBeforePostgis, transform)).toHaveLength(30);
  });

  it('compares in the column SRID: web mercator columns, and literals in another filter-crs', async () => {
    const mercator = await targetOf('public.fixture_3857', 'geom');
    const box = 'S_INTERSECTS(geom, BBOX(-20, -30, 60, 20))';
    const expected = await ids(client, compile(box));
    expect(await ids(client, compile(box, mercator), 'public.fixture_3857')).toEqual(expected);
    expect(await ids(hostileBeforePostgis, compile(box, mercator), 'public.fixture_3857')).toEqual(expected);
    const inMercator = 'S_INTERSECTS(geom, BBOX(-2226389.8, -3503549.8, 6679169.4, 2273030.9))';
    expect(await ids(client, compile(inMercator, fixture, 3857))).toEqual(expected);
  });

  it('filters geography columns with geography functions', async () => {
    const geog = await targetOf('public.fixture_geog', 'geog', 'geography');
    const run = (text: string) => ids(hostileBeforePostgis, compile(text, geog), 'public.fixture_geog');
    expect(await run('S_INTERSECTS(geog, BBOX(-20, -30, 60, 20))')).toEqual(await ids(client, 'ST_Intersects(geog, ST_MakeEnvelope(-20, -30, 60, 20, 4326)::geography)', 'public.fixture_geog'));
    expect(await run('DWITHIN(geog, POINT(0 0), 3000000)')).toEqual(await ids(client, "ST_DWithin(geog, 'SRID=4326;POINT(0 0)'::geography, 3000000)", 'public.fixture_geog'));
    expect(await run('S_DISJOINT(geog, POINT(5 -25))')).toEqual(await ids(client, "geog IS NOT NULL AND id <> 5", 'public.fixture_geog'));
  });

  describe('keeps indexes usable', () => {
    async function indexes(where: string): Promise<string[]> {
      await client.query('SET enable_seqscan = off'); // only a predicate no index can serve makes a sequential scan now
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) SELECT id FROM public.fixture_big t WHERE ${where}`);
      await client.query('RESET enable_seqscan');
      return [...JSON.stringify(rows[0]['QUERY PLAN']).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]);
    }
    let big: FilterTarget;
    beforeAll(async () => (big = await targetOf('public.fixture_big', 'geom')));

    it.each(['n = 1234', 'n IN (1, 2, 3)', 'n BETWEEN 10 AND 20', 'n > 4990', 'n = 99999999999'])('btree: %s', async (filter) => {
      expect(await indexes(compile(filter, big))).toContain('fixture_big_n');
    });
    it.each(['S_INTERSECTS(geom, BBOX(0, 0, 1, 1))', 'S_WITHIN(geom, POLYGON((0 0, 1 0, 1 1, 0 0)))', 'DWITHIN(geom, POINT(0 0), 1000)'])('GiST: %s', async (filter) => {
      expect(await indexes(compile(filter, big))).toContain('fixture_big_geom');
    });
    it('and the check can fail: a wrapped column uses no index', async () => {
      expect(await indexes(compile('n + 0 = 1234', big))).toEqual([]);
    });
  });

  it("runs every compiled CQL2 standard example in PostgreSQL", async () => {
    const VALUES: Record<string, string> = { int4: '1', float8: '1.5', numeric: '2', text: "'a'", varchar: "'a'", date: "'2020-01-01'", timestamptz: "'2020-01-01T00:00:00Z'", bool: 'true', uuid: "md5('a')::uuid" };
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    for (const [name, text] of CQL2_EXAMPLES.filter(([n]) => !(n in CQL2_REFUSED))) {
      const target = cql2ExampleTarget(name, text, 3857);
      const geometries = ['road', 'footprint', 'location', 'geometry'].filter((g) => !target.columns.some((c) => c.name === g));
      const columns = [...target.columns.map((c) => [quote(c.name), c.type, VALUES[c.type]]), ...geometries.map((g) => [quote(g), 'geometry(Geometry, 3857)', "'SRID=3857;POINT(0 0)'"])];
      await hostileBeforePostgis.query(`CREATE TEMP TABLE example (${columns.map(([n, type]) => `${n} ${type}`).join(', ')})`);
      await hostileBeforePostgis.query(`INSERT INTO example VALUES (${columns.map(([, , value]) => value).join(', ')})`);
      await expect(hostileBeforePostgis.query(`SELECT count(*) FROM pg_temp.example t WHERE ${filterSql(parseFilter(text), target, options)}`)).resolves.toBeDefined();
      await hostileBeforePostgis.query('DROP TABLE pg_temp.example');
    }
  });
});
