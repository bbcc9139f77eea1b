import { sourceGeometrySql, SourceGeometryInput, webMercatorPointSql } from './source-geometry.sql';
import { WEB_MERCATOR } from './table-tile.sql';

const base: SourceGeometryInput = { geometry: 't."geom"', layerSrid: 4326, singlePoints: false, grid: WEB_MERCATOR, gridIsWebMercator: true, postgis: '"public"' };

describe('sourceGeometrySql', () => {
  it('transforms lines, polygons and multipoints whole, as pg_tileserv does', () => {
    expect(sourceGeometrySql(base)).toBe('"public".ST_Transform(t."geom", 3857)');
  });

  it('skips the transform for the grid SRID', () => {
    expect(sourceGeometrySql({ ...base, layerSrid: 3857 })).toBe('t."geom"');
    expect(sourceGeometrySql({ ...base, layerSrid: 3857, singlePoints: true })).toBe('t."geom"');
  });

  it('projects longitude/latitude points by formula on web mercator only', () => {
    expect(sourceGeometrySql({ ...base, singlePoints: true })).toBe(webMercatorPointSql('t."geom"', '"public"'));
    expect(sourceGeometrySql({ ...base, singlePoints: true, layerSrid: 4269 })).toBe('"public".ST_Transform(t."geom", 3857)');
    expect(sourceGeometrySql({ ...base, singlePoints: true, gridIsWebMercator: false, grid: { ...WEB_MERCATOR, xmin: 0 } })).toBe('"public".ST_Transform(t."geom", 3857)');
  });

  it('names every function and operator of the formula by its schema, and parenthesises every step', () => {
    const sql = webMercatorPointSql('t."geom"', '"public"');
    const unqualified = sql.replace(/"public"\.\w+|pg_catalog\.\w+|OPERATOR\(pg_catalog\.[*+]\)/g, '').match(/[A-Za-z_]+\s*\(/g);
    expect(unqualified).toBeNull();
    // OPERATOR() spellings share one precedence: "a + b * c" would be (a + b) * c.
    expect(sql).toContain('(0.7853981633974483 OPERATOR(pg_catalog.+) (("public".ST_Y(t."geom") OPERATOR(pg_catalog.*) 0.017453292519943295) OPERATOR(pg_catalog.*) 0.5))');
  });
});
