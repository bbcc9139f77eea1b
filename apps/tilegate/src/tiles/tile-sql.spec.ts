import { FunctionLayer, TableLayer } from '../catalog/layer.types';
import { parseFilter } from '../filter';
import { functionCallSql } from './function-tile.sql';
import { tableLayerSql, tileContext, WEB_MERCATOR } from './table-tile.sql';
import { tileStatement } from './tile-statement';

const places: TableLayer = {
  kind: 'table',
  id: 'public.places',
  oid: 1,
  schema: 'public',
  name: 'places',
  relkind: 'r',
  description: '',
  geometryColumn: 'geom',
  geometryAttnum: 6,
  geometryKind: 'geometry',
  geometryType: 'Point',
  srid: 4326,
  idColumn: 'id',
  properties: [
    { name: 'id', type: 'int4', description: '', attnum: 1 },
    { name: 'name', type: 'text', description: '', attnum: 2 },
  ],
  columnsFingerprint: '2/100',
  settings: { minZoom: 0, maxZoom: 22 },
};
const mercator: TableLayer = { ...places, id: 'web."Odd"', schema: 'web', name: 'Odd"; x', srid: 3857, idColumn: null, geometryColumn: 'the geom', properties: [{ name: 'a"b', type: 'text', description: '', attnum: 1 }] };
const settings = { limit: 100, resolution: 4096, buffer: 64, columns: ['id', 'name'] };
const ctx = tileContext({ z: 3, x: 4, y: 5 }, WEB_MERCATOR, 'public');

describe('tableLayerSql', () => {
  it('writes the request values as integer literals, and calls every function by its schema', () => {
    const sql = tableLayerSql(places, settings, null, ctx);
    expect(sql).toContain('"public".ST_TileEnvelope(3, 4, 5)');
    expect(sql).toContain('margin => 64::pg_catalog.float8 OPERATOR(pg_catalog./) 4096::pg_catalog.float8');
    expect(sql).toContain('LIMIT 100');
    expect(sql).not.toMatch(/\$\d/);
    expect(sql).toMatchSnapshot();
  });

  it('refuses values that are not integers rather than write them into SQL', () => {
    expect(() => tableLayerSql(places, { ...settings, limit: 1.5 }, null, ctx)).toThrow(/not an integer/);
    const hostile = tileContext({ z: '1); DROP TABLE t; --' as unknown as number, x: 0, y: 0 }, WEB_MERCATOR, 'public');
    expect(() => tableLayerSql(places, settings, null, hostile)).toThrow(/not an integer/);
    expect(() => tableLayerSql({ ...places, srid: '4326) OR (1=1' as unknown as number }, settings, null, ctx)).toThrow(/not an integer/);
  });

  it('quotes catalog identifiers and skips the transform for the grid SRID', () => {
    const sql = tableLayerSql(mercator, { ...settings, columns: ['a"b'] }, null, ctx);
    expect(sql).toContain('FROM "web"."Odd""; x" t');
    expect(sql).toContain('t."a""b"');
    expect(sql).toContain(`"public".ST_AsMVT(mvtgeom, 'web."Odd"', 4096, 'tilegate_mvt_geom')`);
    expect(sql).toMatch(/WHERE t."the geom" OPERATOR\("public".&&\) "public".ST_Intersection\(/);
  });

  it('tests points by bounding box (exact for them), and other geometries with ST_Intersects', () => {
    expect(tableLayerSql(places, settings, null, ctx)).toContain('WHERE t."geom" OPERATOR("public".&&) "public".ST_Transform(');
    expect(tableLayerSql({ ...places, geometryType: 'MultiPolygon' }, settings, null, ctx)).toContain('WHERE "public".ST_Intersects(t."geom", "public".ST_Transform(');
  });

  it('sends the id column twice when all columns go, so it is a property as well as the feature id', () => {
    expect(tableLayerSql(places, { ...settings, columns: ['id', 'id', 'name'] }, null, ctx)).toContain('AS tilegate_mvt_geom, t."id", t."id", t."name"');
  });

  it('has no LIMIT when the layer has none', () => {
    expect(tableLayerSql(places, { ...settings, limit: null }, null, ctx)).not.toContain('LIMIT');
  });

  it('casts geography to geometry for the tile and for the spatial test', () => {
    const sql = tableLayerSql({ ...places, geometryKind: 'geography', geometryColumn: 'geog', geometryType: 'LineString' }, settings, null, ctx);
    expect(sql).toContain('"public".ST_Transform("public".geometry(t."geog"), 3857)');
    expect(sql).toContain('"public".ST_Intersects("public".geometry(t."geog"), "public".ST_Transform(');
  });

  it('makes tiles on the configured grid ([CoordinateSystem])', () => {
    const grid = { srid: 4326, xmin: -180, ymin: -180, xmax: 180, ymax: 180 };
    const sql = tableLayerSql(places, settings, null, tileContext({ z: 1, x: 0, y: 0 }, grid, 'public'));
    expect(sql).toContain('"public".ST_TileEnvelope(1, 0, 0, bounds => "public".ST_MakeEnvelope(-180, -180, 180, 180, 4326))');
    expect(sql).toContain('"public".ST_AsMVTGeom(t."geom", "public".ST_TileEnvelope(1, 0, 0, bounds =>');
    expect(sql).toMatchSnapshot();
  });

  it("compiles the filter against the layer's own columns", () => {
    const sql = tableLayerSql(places, settings, { ast: parseFilter("name = 'x'"), srid: 4326 }, ctx);
    expect(sql).toContain(`\n      AND t."name" OPERATOR(pg_catalog.=) 'x'::pg_catalog.text`);
    const other = { ...places, id: 'public.other', properties: [places.properties[0]] };
    expect(() => tableLayerSql(other, settings, { ast: parseFilter("name = 'x'"), srid: 4326 }, ctx)).toThrow(/public\.other has no property 'name'/);
  });
});

describe('functionCallSql', () => {
  const fn = { kind: 'function', id: 'public.fn', oid: 2, schema: 'public', name: 'fn', description: '' } as FunctionLayer;
  it('calls the function with named arguments, each an escaped literal cast to its type', () => {
    expect(functionCallSql(fn, { z: 1, x: 0, y: 1 }, [{ name: 'the "prefix"', cast: '"my schema"."mytype"', value: "O'Brien" }])).toBe(
      `"public"."fn"(z => 1::pg_catalog.int4, x => 0::pg_catalog.int4, y => 1::pg_catalog.int4, "the ""prefix""" => 'O''Brien'::"my schema"."mytype")`,
    );
  });

  it('keeps hostile argument values inside their literal', () => {
    const value = "x'::text); DROP TABLE t; --\\";
    const text = functionCallSql(fn, { z: 1, x: 0, y: 1 }, [{ name: 'prefix', cast: '"pg_catalog"."text"', value }]);
    // Strip every literal; what is left must be only our own SQL.
    expect(text.replace(/E?'(?:[^']|'')*'/g, "''")).toBe(`"public"."fn"(z => 1::pg_catalog.int4, x => 0::pg_catalog.int4, y => 1::pg_catalog.int4, "prefix" => ''::"pg_catalog"."text")`);
  });
});

describe('tileStatement', () => {
  it('concatenates the layers in the order listed, tables and functions alike', () => {
    const fn = { kind: 'function', id: 'public.fn', oid: 2, schema: 'public', name: 'fn' } as FunctionLayer;
    const text = tileStatement([{ kind: 'table', layer: places, settings }, { kind: 'function', layer: fn, args: [] }, { kind: 'table', layer: mercator, settings: { ...settings, columns: [] } }], null, ctx);
    expect(text.match(/ST_AsMVT\(/g)).toHaveLength(2);
    expect(text.indexOf('"places"')).toBeLessThan(text.indexOf('"public"."fn"('));
    expect(text).toContain("''::pg_catalog.bytea)\n    OPERATOR(pg_catalog.||) coalesce(");
    expect(text.startsWith('SELECT coalesce(')).toBe(true);
  });
});
