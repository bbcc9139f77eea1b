import { parseFilter } from './cql-parser';
import { filterSql } from './filter-sql';
import { PLACES, WGS84 } from './filter-test-target';
import type { FilterOptions, FilterTarget } from './filter-context';

const sql = (text: string, target: FilterTarget = PLACES, options: FilterOptions = WGS84) => filterSql(parseFilter(text), target, options);

describe('filterSql', () => {
  it('compares a column with a literal of the column type, through pg_catalog operators', () => {
    expect(sql('pop > 1000')).toBe(`t."pop" OPERATOR(pg_catalog.>) '1000'::pg_catalog.int8`);
    expect(sql('rank = 7')).toBe(`t."rank" OPERATOR(pg_catalog.=) '7'::pg_catalog.int2`);
    expect(sql("name = 'London'")).toBe(`t."name" OPERATOR(pg_catalog.=) 'London'::pg_catalog.text`);
    expect(sql("day >= DATE('2020-01-01')")).toBe(`t."day" OPERATOR(pg_catalog.>=) '2020-01-01'::pg_catalog.date`);
    expect(sql('active = TRUE')).toBe(`t."active" OPERATOR(pg_catalog.=) 'true'::pg_catalog.bool`);
  });

  it('widens a literal only as far as it must, within the column type\'s operator family', () => {
    expect(sql('rank = 40000')).toBe(`t."rank" OPERATOR(pg_catalog.=) '40000'::pg_catalog.int4`);
    expect(sql('id < 99999999999')).toBe(`t."id" OPERATOR(pg_catalog.<) '99999999999'::pg_catalog.int8`);
    expect(sql('pop < 99999999999999999999')).toBe(`t."pop" OPERATOR(pg_catalog.<) '99999999999999999999'::pg_catalog.numeric`);
    expect(sql('id < 2.5')).toBe(`t."id" OPERATOR(pg_catalog.<) '2.5'::pg_catalog.numeric`);
    expect(sql('share > 0.1')).toBe(`t."share" OPERATOR(pg_catalog.>) '0.1'::pg_catalog.float8`);
    expect(sql('price = 1e3')).toBe(`t."price" OPERATOR(pg_catalog.=) '1e3'::pg_catalog.numeric`);
  });

  it('gives each temporal literal the type of the column it meets', () => {
    expect(sql("ts > DATE('2020-01-01')")).toBe(`t."ts" OPERATOR(pg_catalog.>) '2020-01-01T00:00:00Z'::pg_catalog.timestamptz`);
    expect(sql("seen > TIMESTAMP('2020-01-01T10:00:00Z')")).toBe(`t."seen" OPERATOR(pg_catalog.>) '2020-01-01T10:00:00'::pg_catalog.timestamp`);
    expect(sql("seen > TIMESTAMP('2020-01-01T10:00:00+02:00')")).toBe(
      `t."seen" OPERATOR(pg_catalog.>) pg_catalog.timezone('UTC'::pg_catalog.text, '2020-01-01T10:00:00+02:00'::pg_catalog.timestamptz)`,
    );
    expect(sql('ts > 2020-01-01T10:00')).toBe(`t."ts" OPERATOR(pg_catalog.>) '2020-01-01T10:00:00Z'::pg_catalog.timestamptz`);
  });

  it('resolves names exactly first, then case-insensitively when that is unambiguous', () => {
    expect(sql("label = 'x'")).toBe(`t."Label" OPERATOR(pg_catalog.=) 'x'::pg_catalog.text`);
    expect(sql('ID = 1')).toBe(`t."id" OPERATOR(pg_catalog.=) '1'::pg_catalog.int4`);
    const twins: FilterTarget = { ...PLACES, columns: [{ name: 'Name', type: 'text' }, { name: 'NAME', type: 'text' }] };
    expect(sql("Name = 'x'", twins)).toBe(`t."Name" OPERATOR(pg_catalog.=) 'x'::pg_catalog.text`);
    expect(() => sql("name = 'x'", twins)).toThrow("filter: property 'name' of layer public.places could be 'Name' and 'NAME'; write it exactly (at character 1)");
  });

  it('skips the transform when the filter is in the column SRID, and uses geography functions for geography', () => {
    expect(sql('S_INTERSECTS(geom, POINT(1 2))', { ...PLACES, srid: 4326 })).toBe(
      `"public".ST_Intersects(t."geom", "public".ST_GeomFromText('POINT(1 2)'::pg_catalog.text, 4326))`,
    );
    const geog: FilterTarget = { ...PLACES, geometryColumn: 'geog', geometryKind: 'geography', srid: 4326 };
    expect(sql('S_DISJOINT(geog, POINT(1 2))', geog)).toBe(`NOT "public".ST_Intersects(t."geog", "public".geography("public".ST_GeomFromText('POINT(1 2)'::pg_catalog.text, 4326)))`);
    expect(sql('DWITHIN(geog, POINT(1 2), 500)', geog, { postgisSchema: 'gis', filterSrid: 3857 })).toBe(
      `"gis".ST_DWithin(t."geog", "gis".geography("gis".ST_Transform("gis".ST_GeomFromText('POINT(1 2)'::pg_catalog.text, 3857), 4326)), '500'::pg_catalog.float8)`,
    );
  });

  it.each([
    'pop > 1000 AND (name LIKE \'L%\' OR NOT active = FALSE)',
    "name NOT LIKE 'a%' AND Label ILIKE '%b' AND name NOT ILIKE 'c'",
    'pop BETWEEN 10 AND 20.5',
    'pop NOT BETWEEN area AND 100',
    "id IN (1, 2, 99999999999) AND name NOT IN ('a', 'b')",
    "'a' IN (name, Label)",
    "CASEI(name) IN (CASEI('Οδος'), CASEI('Straße'))",
    "CASEI(Label) LIKE CASEI('%calcutta%')",
    'tags IS NULL AND geom IS NOT NULL AND (pop + 1) IS NULL',
    'TRUE AND NOT FALSE',
    'pop = area AND day < ts AND name <> Label',
    '"eo:cloud_cover" < 0.1 AND eo:cloud_cover >= 0',
    'pop > (area - 1) * 2 AND id % 3 = 0 AND id div 2 = 1 AND area % 2 = 1 AND price / 3 > 1 AND id / 4 = 0.5 AND rank ^ 2 > 9 AND -pop < -5',
    'area = - pop * 2.0 + "area" / 6.1234 - "price" ^ 2.0',
    "uid = 'fa7e1920-9107-422d-a3db-c468cbc5d6df' OR uid <> 'FA7E19209107422DA3DBC468CBC5D6DF'",
    'S_INTERSECTS(geom, POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1)))',
    'S_EQUALS(MULTIPOINT((1 2), (3 4)), geom) AND S_DISJOINT(geom, LINESTRING(0 0, 1 1))',
    'S_TOUCHES(geom, MULTILINESTRING((0 0, 1 1), (2 2, 3 3))) OR S_OVERLAPS(geom, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0))))',
    'S_CROSSES(geom, GEOMETRYCOLLECTION(POINT(1 1), POLYGON((0 0, 1 0, 1 1, 0 0)))) OR S_CONTAINS(geom, POINT Z (1 2 3))',
    'S_WITHIN(geom, BBOX(-118, 33.8, -117.9, 34)) AND S_INTERSECTS(geom, BBOX(170, -10, -170, 10))',
    'S_INTERSECTS(LINESTRING(0 0, 2 2), POLYGON((0 0, 1 0, 1 1, 0 0)))',
    "T_BEFORE(day, DATE('2015-01-01')) AND T_AFTER(ts, TIMESTAMP('2012-08-10T05:30:00Z')) AND T_EQUALS(seen, 2020-01-01)",
    "T_INTERSECTS(ts, INTERVAL('1969-07-16T05:32:00Z', '1969-07-24T16:50:35Z')) AND T_DISJOINT(INTERVAL('..', '2005-01-10'), INTERVAL(ts, ends))",
    "T_DURING(INTERVAL(ts, ends), INTERVAL('2017-06-10T07:30:00Z', '..')) AND T_CONTAINS(INTERVAL(day, seen), INTERVAL(ts, ends))",
    "T_MEETS(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01')) OR T_METBY(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01'))",
    "T_OVERLAPS(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01')) OR T_OVERLAPPEDBY(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01'))",
    "T_STARTS(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01')) OR T_STARTEDBY(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01'))",
    "T_FINISHES(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01')) OR T_FINISHEDBY(INTERVAL(ts, ends), INTERVAL('2020-01-01', '2020-02-01'))",
    'T_INTERSECTS(ts, NOW()) OR day < NOW() OR seen > NOW()',
    "DATE('2020-01-01') < TIMESTAMP('2020-01-01T10:00:00Z') AND 1 < 2.5 AND 'a' = 'a'",
  ])('%s', (text) => {
    expect(sql(text)).toMatchSnapshot();
  });

  it.each([
    ["nme = 'x'", "filter: layer public.places has no property 'nme' (at character 1)"],
    ['day = 3', "filter: cannot compare date property 'day' with the number 3 (at character 5)"],
    ["pop > 'many'", "filter: cannot compare integer property 'pop' with the string 'many' (at character 5)"],
    ["name = TRUE", "filter: cannot compare text property 'name' with the boolean TRUE (at character 6)"],
    ["active = 'yes'", "filter: cannot compare boolean property 'active' with the string 'yes' (at character 8)"],
    ['ts < 2020-01-01 AND 5 > day', "filter: cannot compare the number 5 with date property 'day' (at character 23)"],
    ['pop = name', "filter: cannot compare integer property 'pop' with text property 'name' (at character 5)"],
    ["uid = 'not-a-uuid'", "filter: 'not-a-uuid' is not a uuid (at character 5)"],
    ["id IN (1, 'two')", "filter: cannot compare integer property 'id' with the string 'two' (at character 11)"],
    ["tags = 'x'", "filter: jsonb property 'tags' can only be tested with IS NULL or IS NOT NULL (at character 1)"],
    ['geom = 1', "filter: geometry property 'geom' is the layer's geometry; use it in a spatial function such as S_INTERSECTS (at character 1)"],
    ["pop LIKE 'a%'", "filter: LIKE needs text, not integer property 'pop' (at character 5)"],
    ["CASEI(pop) = 'a'", "filter: CASEI needs text, not integer property 'pop' (at character 1)"],
    ['name + 1 > 2', "filter: '+' needs numbers, not text property 'name' (at character 6)"],
    ["T_BEFORE(name, DATE('2020-01-01'))", "filter: T_BEFORE needs dates or timestamps, not text property 'name' (at character 10)"],
    ["T_DURING(ts, INTERVAL('2020-01-01', '..'))", 'filter: T_DURING compares intervals, and its first argument is an instant (at character 10)'],
    ['S_INTERSECTS(name, POINT(0 0))', "filter: text property 'name' is not a geometry; the layer's geometry is 'geom' (at character 14)"],
    ['S_INTERSECTS(geom, POINT(0 91))', 'filter: a latitude is outside -90..90 (coordinates are longitude latitude, in filter-crs EPSG:4326) (at character 20)'],
    ['DWITHIN(geom, POINT(0 0), -5)', 'filter: DWITHIN needs a distance of 0 or more, not -5 (at character 27)'],
  ])('refuses %j, saying where', (text, message) => {
    expect(() => sql(text)).toThrow(message);
  });

  it('refuses what PostGIS cannot do for geography, and a BBOX across the antimeridian outside lon/lat', () => {
    const geog: FilterTarget = { ...PLACES, geometryColumn: 'geog', geometryKind: 'geography', srid: 4326 };
    expect(() => sql('S_TOUCHES(geog, POINT(1 2))', geog)).toThrow("filter: TOUCHES is not available for the geography column 'geog'; S_INTERSECTS, S_DISJOINT and DWITHIN are (at character 1)");
    expect(() => sql('S_INTERSECTS(geom, BBOX(10, 0, -10, 5))', PLACES, { postgisSchema: 'public', filterSrid: 3857 })).toThrow('filter: BBOX: west (10) is greater than east (-10) at character 20');
  });

  it('is deterministic', () => {
    const text = "pop > 1 AND S_INTERSECTS(geom, BBOX(0, 0, 1, 1)) AND T_DURING(INTERVAL(ts, ends), INTERVAL('2020-01-01', '..'))";
    expect(sql(text)).toBe(sql(text));
  });
});
