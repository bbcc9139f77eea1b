import { TableLayer, FunctionLayer } from '../catalog/layer.types';
import { tableTileQuery } from './table-tile.sql';
import { functionTileQuery } from './function-tile.sql';
import { parseFilter } from '../filter';

const places: TableLayer = {
  kind: 'table',
  id: 'public.places',
  oid: 1,
  schema: 'public',
  name: 'places',
  relkind: 'r',
  description: '',
  geometryColumn: 'geom',
  geometryType: 'Point',
  srid: 4326,
  idColumn: 'id',
  properties: [
    { name: 'id', type: 'int4', description: '' },
    { name: 'name', type: 'text', description: '' },
  ],
  columnsFingerprint: '2/100',
};
const mercator: TableLayer = { ...places, id: 'web."Odd"', schema: 'web', name: 'Odd"; x', srid: 3857, idColumn: null, geometryColumn: 'the geom', properties: [{ name: 'a"b', type: 'text', description: '' }] };
const params = { limit: 100, resolution: 4096, buffer: 64, properties: null, filter: null, filterSrid: 4326 };

describe('tableTileQuery', () => {
  it('builds one complete statement per layer set, with the request values as integer literals', () => {
    const query = tableTileQuery([places], { z: 3, x: 4, y: 5 }, params, 'public');
    expect(query.text).toContain('ST_TileEnvelope(3, 4, 5) AS clip');
    expect(query.text).toContain('margin => 64::pg_catalog.float8 OPERATOR(pg_catalog./) 4096::pg_catalog.float8');
    expect(query.text).toContain('LIMIT 100');
    expect(query.text).not.toMatch(/\$\d/);
    expect(query.text).toMatchSnapshot();
  });

  it('refuses values that are not integers rather than write them into SQL', () => {
    expect(() => tableTileQuery([places], { z: 3, x: 4, y: 5 }, { ...params, limit: 1.5 }, 'public')).toThrow(/not an integer/);
    expect(() => tableTileQuery([places], { z: Number.NaN, x: 4, y: 5 }, params, 'public')).toThrow(/not an integer/);
    const hostile = { z: '1); DROP TABLE t; --' as unknown as number, x: 0, y: 0 };
    expect(() => tableTileQuery([places], hostile, params, 'public')).toThrow(/not an integer/);
  });

  it('quotes catalog identifiers and skips the transform for web mercator', () => {
    const query = tableTileQuery([mercator], { z: 0, x: 0, y: 0 }, params, 'public');
    expect(query.text).toContain('FROM "web"."Odd""; x" t');
    expect(query.text).toContain('t."a""b"');
    expect(query.text).toContain(`"public".ST_AsMVT(mvtgeom, 'web."Odd"', 4096, 'tilegate_mvt_geom')`);
    expect(query.text).toContain('"public".ST_Intersects(t."the geom", bounds.query)');
  });

  it('keeps only wanted properties, and the id column always', () => {
    const query = tableTileQuery([places], { z: 0, x: 0, y: 0 }, { ...params, properties: [] }, 'public');
    expect(query.text).toContain('AS tilegate_mvt_geom, t."id"\n');
    expect(query.text).not.toContain('t."name"');
  });

  it('concatenates layers into one tile', () => {
    const query = tableTileQuery([places, mercator], { z: 0, x: 0, y: 0 }, params, 'public');
    expect(query.text.match(/ST_AsMVT\(/g)).toHaveLength(2);
    expect(query.text).toContain("''::pg_catalog.bytea)\n    OPERATOR(pg_catalog.||) coalesce((");
  });
});

describe('tableTileQuery with a filter', () => {
  it('compiles the filter for each layer, against that layer\'s columns', () => {
    const filter = parseFilter("name = 'x' AND S_INTERSECTS(geom, POINT(1 2))");
    const query = tableTileQuery([places], { z: 0, x: 0, y: 0 }, { ...params, filter }, 'public');
    expect(query.text).toContain(`WHERE "public".ST_Intersects(t."geom", "public".ST_Transform(bounds.query, 4326))\n      AND (t."name" OPERATOR(pg_catalog.=) 'x'::pg_catalog.text AND `);
    expect(query.text).toMatchSnapshot();
  });

  it('names the layer that lacks a column the filter uses', () => {
    const other = { ...places, id: 'public.other', properties: [{ name: 'id', type: 'int4', description: '' }] };
    expect(() => tableTileQuery([places, other], { z: 0, x: 0, y: 0 }, { ...params, filter: parseFilter("name = 'x'") }, 'public')).toThrow(/public\.other has no property 'name'/);
  });
});

describe('functionTileQuery', () => {
  const fn: FunctionLayer = {
    kind: 'function',
    id: 'public.fn',
    oid: 2,
    schema: 'public',
    name: 'fn',
    description: '',
    arguments: [{ name: 'prefix', type: 'text', cast: '"pg_catalog"."text"', default: "''" }],
  };
  it('calls the function with named arguments, each an escaped literal cast to its type', () => {
    const query = functionTileQuery(fn, { z: 1, x: 0, y: 1 }, [{ name: 'the "prefix"', cast: '"my schema"."mytype"', value: "O'Brien" }]);
    expect(query).toEqual({
      text: `SELECT "public"."fn"(z => 1::pg_catalog.int4, x => 0::pg_catalog.int4, y => 1::pg_catalog.int4, "the ""prefix""" => 'O''Brien'::"my schema"."mytype") AS mvt`,
    });
  });

  it('keeps hostile argument values inside their literal', () => {
    const value = "x'::text); DROP TABLE t; --\\";
    const { text } = functionTileQuery(fn, { z: 1, x: 0, y: 1 }, [{ name: 'prefix', cast: '"pg_catalog"."text"', value }]);
    // Strip every literal; what is left must be only our own SQL.
    expect(text.replace(/E?'(?:[^']|'')*'/g, "''")).toBe(`SELECT "public"."fn"(z => 1::pg_catalog.int4, x => 0::pg_catalog.int4, y => 1::pg_catalog.int4, "prefix" => ''::"pg_catalog"."text") AS mvt`);
  });
});
