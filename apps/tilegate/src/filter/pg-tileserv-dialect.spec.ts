import { parseFilter } from './cql-parser';
import { filterSql } from './filter-sql';
import type { FilterOptions, FilterTarget } from './filter-context';

/*
 * Filters as pg_tileserv users write them: the inputs of pg_tileserv's own CQL tests and the
 * examples of its CQL documentation (hugo/content/usage/cql.md). Each must compile, and where
 * CQL2 has a spelling for the same thing, to exactly the SQL of that spelling.
 */

const COLUMNS: Record<string, string> = {
  id: 'int4', tt: 'int4', id2: 'int8', x: 'int4', y: 'int4', p: 'int4', pop_est: 'int8', count: 'int4',
  name: 'text', continent: 'varchar', t: 'timestamptz', time_start: 'timestamptz', time_end: 'date', time1: 'date', time2: 'date', quoted_name$: 'int4',
};
const WGS84: FilterOptions = { postgisSchema: 'public', filterSrid: 4326 };

function target(types = ''): FilterTarget {
  const overrides: Record<string, string> = Object.fromEntries(types.split(' ').filter(Boolean).map((pair) => pair.split(':')));
  const columns = Object.entries({ ...COLUMNS, ...overrides }).map(([name, type]) => ({ name, type }));
  return { layerId: 'public.countries', alias: 't', geometryColumn: 'geom', geometryKind: 'geometry', srid: 4326, columns };
}
const sql = (text: string, types = '', options = WGS84) => filterSql(parseFilter(text), target(types), options);

/** [pg_tileserv filter, its CQL2 spelling (null: none), column types where they differ] */
const DIALECT: ReadonlyArray<[string, string | null, string?]> = [
  // Comparisons, LIKE/ILIKE, BETWEEN, IN, IS NULL: the same as CQL2, keywords in any case.
  ['id > tt', null], ['id >= 1', null], ['id <> 1', null], ['id = -1.2345', null, 'id:float8'], ['id = id2', null], ["id = 'foo'", null, 'id:text'],
  ["id LIKE 'foo'", null, 'id:text'], ["id ILIKE '%Ca%'", null, 'id:text'], ['id BETWEEN 1 and 2', 'id BETWEEN 1 AND 2'], ['id NOT BETWEEN 1 and 2', null],
  ['id IN (1,2,3)', null], ['id NOT IN (1,2,3)', null], ["id IN ('a','b','c')", null, 'id:text'], ['id IS NULL', null], ['NOT x IS NOT NULL', null],
  ['x > 1 AND x < 9', null], ['(x = 1 OR x = 2) AND y < 4', null], ['"quoted_name$" = 1', 'quoted_name$ = 1'], ["name = 'it''s easy'", null],
  ["name NOT BETWEEN 'Chile' AND 'Denmark'", null], ["continent ILIKE '%america'", null], ["(continent = 'Europe' OR continent = 'Africa') AND pop_est < 1000000", null],
  // Arithmetic: + - * / % with SQL precedence (pg_tileserv passed the text on to PostgreSQL).
  ['p > 1 + x', null], ['p > 2 * 3 + x', 'p > (2 * 3) + x'], ['p > 2 * (3 + x)', null], ['p > (y + 5) / (3 - x)', null], ['p = x % 10', null],
  ['p BETWEEN x + 10 AND x * 2', null], ['p BETWEEN 2 * (1 + 1000000) AND 900000', null], ['count % 10 = 1', null],
  // Spatial predicates without the S_ prefix, any case.
  ['crosses(geom, POINT(0 0))', 'S_CROSSES(geom, POINT(0 0))'], ['Contains(geom, POINT(0 0))', 'S_CONTAINS(geom, POINT(0 0))'],
  ['DISJOINT(geom, POINT(0 0))', 'S_DISJOINT(geom, POINT(0 0))'], ['EQUALS(geom, POINT(0 0))', 'S_EQUALS(geom, POINT(0 0))'],
  ['INTERSECTS(geom, POINT(0 0))', 'S_INTERSECTS(geom, POINT(0 0))'], ['OVERLAPS(geom, POINT(0 0))', 'S_OVERLAPS(geom, POINT(0 0))'],
  ['TOUCHES(geom, POINT(0 0))', 'S_TOUCHES(geom, POINT(0 0))'], ['within(geom, POINT(0 0))', 'S_WITHIN(geom, POINT(0 0))'],
  ['equals(geom, POLYGON((0 0, 0 9, 9 0, 0 0),(1 1, 1 8, 8 1, 1 1)))', 'S_EQUALS(geom, POLYGON((0 0, 0 9, 9 0, 0 0),(1 1, 1 8, 8 1, 1 1)))'],
  ['equals(geom, MULTIPOINT((0 0), (0 9)))', null], ['equals(geom, MULTILINESTRING((0 0, 1 1),(1 1, 2 2)))', null],
  ['equals(geom, MULTIPOLYGON(((1 4, 4 1, 1 1, 1 4)), ((1 9, 4 9, 1 6, 1 9))))', null],
  ['equals(geom, GEOMETRYCOLLECTION(POLYGON((1 4, 4 1, 1 1, 1 4)),LINESTRING (3 3, 5 5), POINT (1 5)))', null],
  // ENVELOPE is CQL2's BBOX; DWITHIN has no CQL2 spelling: distance in the column SRID's units.
  ['equals(geom, ENVELOPE(1,2,3,4))', 'S_EQUALS(geom, BBOX(1,2,3,4))'], ['INTERSECTS(geom, ENVELOPE(-100, 49, -90, 50) )', 'S_INTERSECTS(geom, BBOX(-100, 49, -90, 50))'],
  ['Dwithin(geom, POINT(0 0), 100)', null], ['DWITHIN(geom, POINT(-100 49), 0.1)', null],
  // Bare dates and timestamps, where a date or timestamp is compared; NOW().
  ['p BETWEEN 1991-01-01 AND 2000-12-31T01:59:59', "p BETWEEN DATE('1991-01-01') AND TIMESTAMP('2000-12-31T01:59:59Z')", 'p:timestamp'],
  ['1990-01-01 BETWEEN time_start AND time_end', "DATE('1990-01-01') BETWEEN time_start AND time_end"],
  ['1991-01-01 > p', "DATE('1991-01-01') > p", 'p:date'], ['p > 1991-01-01T01:23:45.678', "p > TIMESTAMP('1991-01-01T01:23:45.678Z')", 'p:timestamptz'],
  ['p > 1991-01-01T01:23', "p > TIMESTAMP('1991-01-01T01:23:00Z')", 'p:timestamptz'], ['p > NOW()', null, 'p:timestamptz'],
  ['t > 2001-01-01T00:00 AND t <= 2002-12-31T11:59:59', "t > TIMESTAMP('2001-01-01T00:00:00Z') AND t <= TIMESTAMP('2002-12-31T11:59:59Z')"],
  ['t BETWEEN 2001-01-01 AND 2001-12-31', "t BETWEEN DATE('2001-01-01') AND DATE('2001-12-31')"], ['2001-01-01 BETWEEN time1 AND time2', null],
];

describe("pg_tileserv's CQL dialect", () => {
  it.each(DIALECT.map(([text, cql2, types]) => [text, cql2, types ?? ''] as const))('%s', (text, cql2, types) => {
    const compiled = sql(text, types);
    if (cql2 !== null) expect(compiled).toBe(sql(cql2, types));
    expect(compiled).toMatchSnapshot();
  });

  it('transforms literals from filter-crs to the column SRID, as pg_tileserv does', () => {
    const layer = { ...target(), srid: 2222 };
    expect(filterSql(parseFilter('equals(geom, POINT(0 0))'), layer, { postgisSchema: 'public', filterSrid: 1111 })).toBe(
      `"public".ST_Equals(t."geom", "public".ST_Transform("public".ST_GeomFromText('POINT(0 0)'::pg_catalog.text, 1111), 2222))`,
    );
  });

  it('reads ILIKE, DWITHIN and NOW() as pg_tileserv does', () => {
    expect(sql("name ILIKE 'ch%'")).toBe(`t."name" OPERATOR(pg_catalog.~~*) 'ch%'::pg_catalog.text`);
    expect(sql('DWITHIN(geom, POINT(-100 49), 0.1)')).toBe(`"public".ST_DWithin(t."geom", "public".ST_GeomFromText('POINT(-100 49)'::pg_catalog.text, 4326), '0.1'::pg_catalog.float8)`);
    expect(sql('t > NOW()')).toBe(`t."t" OPERATOR(pg_catalog.>) pg_catalog.now()`);
  });

  it.each(['x y', 'x == y', 'x > 10y', 'NOT x IS > 3', 'equals(geom, ENVELOPE(1,2,3,4)))', 'equals(geom, POINT(0,0))', 'p > 2000-01', 'p > 2000-01-01T01'])(
    'still refuses what pg_tileserv refuses: %s',
    (text) => expect(() => sql(text)).toThrow(/^filter: /),
  );

  it('refuses, unlike pg_tileserv, comparisons PostgreSQL would have failed on', () => {
    expect(() => sql("id = 'foo'")).toThrow("filter: cannot compare integer property 'id' with the string 'foo' (at character 4)");
    expect(() => sql("id = '5'")).toThrow(expect.objectContaining({ hint: 'write numbers without quotes' }));
    expect(() => sql("time1 > '2020-01-01'")).toThrow(expect.objectContaining({ hint: "write DATE('YYYY-MM-DD') or TIMESTAMP('YYYY-MM-DDTHH:MM:SSZ')" }));
    expect(() => sql('t > 5')).toThrow("filter: cannot compare timestamptz property 't' with the number 5 (at character 3)");
    expect(() => sql('DWITHIN(geom, POINT(0 0), -1)')).toThrow('filter: DWITHIN needs a distance of 0 or more, not -1');
  });
});
