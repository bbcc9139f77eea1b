import { escapeIdentifier, escapeLiteral, qualifiedName, sqlInteger, sqlNumber } from '@app/database';
import type { CoordinateSystem } from '@app/config';
import { TableLayer } from '../catalog/layer.types';
import { TileCoordinates } from './tile-coordinates';
import { LayerTileSettings } from './table-tile-params';
import { filterSql, FilterAst, FilterTarget } from '../filter';
import { sourceGeometrySql } from './source-geometry.sql';

/** The geometry's name inside the MVT subquery; chosen so no ordinary column clashes with it. */
const MVT_GEOMETRY = 'tilegate_mvt_geom';

/** What every part of one tile's statement shares. */
export interface TileContext {
  tile: TileCoordinates;
  /** The tile grid ([CoordinateSystem]); web mercator's world by default. */
  grid: CoordinateSystem;
  /** PostGIS's schema, and the same quoted: every PostGIS function is called by it. */
  postgisSchema: string;
  postgis: string;
}

export const WEB_MERCATOR: CoordinateSystem = { srid: 3857, xmin: -20037508.342789244, ymin: -20037508.342789244, xmax: 20037508.342789244, ymax: 20037508.342789244 };

export function tileContext(tile: TileCoordinates, grid: CoordinateSystem, postgisSchema: string): TileContext {
  return { tile, grid, postgisSchema, postgis: escapeIdentifier(postgisSchema) };
}

/**
 * One table layer's MVT layer, as a scalar subquery (NULL when no feature is in the tile).
 * Identifiers come from the catalog and are quoted. The request's values (z, x, y, resolution,
 * buffer, limit) are parsed integers and the grid's bounds are numbers from the configuration,
 * written as literals: the statement goes out with its role switch in one simple query message
 * (RoleTransaction.runStatement), which takes no parameters. Every function and operator is named
 * by its schema, so nothing resolves through the search_path.
 */
export function tableLayerSql(layer: TableLayer, settings: LayerTileSettings, filter: { ast: FilterAst; srid: number } | null, ctx: TileContext): string {
  const p = ctx.postgis;
  const resolution = sqlInteger(settings.resolution);
  const buffer = sqlInteger(settings.buffer);
  const column = `t.${escapeIdentifier(layer.geometryColumn)}`;
  const geography = layer.geometryKind === 'geography';
  // The tile's box, and the box features are looked up in (with the buffer, clamped to the grid).
  const clip = tileEnvelope(ctx);
  const queryBox = `${p}.ST_Intersection(${tileEnvelope(ctx, `${buffer}::pg_catalog.float8 OPERATOR(pg_catalog./) ${resolution}::pg_catalog.float8`)}, ${gridEnvelope(ctx)})`;
  // Compared in the layer's own SRID (and kind) so its spatial index is used.
  const srid = sqlInteger(layer.srid);
  const boxInLayerSrid = layer.srid === ctx.grid.srid ? queryBox : `${p}.ST_Transform(${queryBox}, ${srid})`;
  // geography is compared as geometry in its own SRID: a tile box is a plane rectangle, which as a
  // geography (geodesic edges) would not be, and a world box would be no polygon at all. An
  // expression index on (column::geometry) serves this test (see the README).
  const geometry = geography ? `${p}.geometry(${column})` : column;
  // For points, the bounding-box operator is the exact test (the box is a rectangle in the layer's
  // SRID, as a web mercator rectangle is in 4326 too) and skips ST_Intersects' second check per row.
  const spatial = isPointLayer(layer) ? `${geometry} OPERATOR(${p}.&&) ${boxInLayerSrid}` : `${p}.ST_Intersects(${geometry}, ${boxInLayerSrid})`;
  // Longitude/latitude points are projected by formula (see source-geometry.sql.ts).
  const tileGeometry = sourceGeometrySql({ geometry, layerSrid: layer.srid, singlePoints: isSinglePointLayer(layer), grid: ctx.grid, gridIsWebMercator: isWebMercator(ctx.grid), postgis: p });
  const columns = settings.columns.map((name) => `, t.${escapeIdentifier(name)}`).join('');
  const mvtArgs = [`mvtgeom`, escapeLiteral(layer.id), resolution, escapeLiteral(MVT_GEOMETRY)];
  if (layer.idColumn) mvtArgs.push(escapeLiteral(layer.idColumn));
  // The filter is compiled for each layer: its columns are checked against that layer's own.
  const where = filter ? `${spatial}\n      AND ${filterSql(filter.ast, filterTarget(layer), { postgisSchema: ctx.postgisSchema, filterSrid: filter.srid })}` : spatial;
  return [
    `(SELECT ${p}.ST_AsMVT(${mvtArgs.join(', ')}) FROM (`,
    `    SELECT ${p}.ST_AsMVTGeom(${tileGeometry}, ${clip}, ${resolution}, ${buffer}) AS ${MVT_GEOMETRY}${columns}`,
    `    FROM ${qualifiedName(layer.schema, layer.name)} t`,
    `    WHERE ${where}`,
    ...(settings.limit === null ? [] : [`    LIMIT ${sqlInteger(settings.limit)}`]),
    '  ) AS mvtgeom)',
  ].join('\n');
}

/** A layer whose column is declared as points: its features are inside a box exactly when their bounding boxes are. */
function isPointLayer(layer: TableLayer): boolean {
  return layer.geometryKind === 'geometry' && /^(Multi)?Point(Z|M|ZM)?$/i.test(layer.geometryType);
}

/** A layer whose column is declared as single points (no MultiPoint): each has one X and one Y. */
function isSinglePointLayer(layer: TableLayer): boolean {
  return isPointLayer(layer) && !/^Multi/i.test(layer.geometryType);
}

/** ST_TileEnvelope on the configured grid (PostGIS's default grid is web mercator's world). */
function tileEnvelope(ctx: TileContext, margin?: string): string {
  const { z, x, y } = ctx.tile;
  const args = [sqlInteger(z), sqlInteger(x), sqlInteger(y)];
  if (!isWebMercator(ctx.grid)) args.push(`bounds => ${gridEnvelope(ctx)}`);
  if (margin) args.push(`margin => ${margin}`);
  return `${ctx.postgis}.ST_TileEnvelope(${args.join(', ')})`;
}

function gridEnvelope(ctx: TileContext): string {
  const g = ctx.grid;
  return `${ctx.postgis}.ST_MakeEnvelope(${[g.xmin, g.ymin, g.xmax, g.ymax].map(sqlNumber).join(', ')}, ${sqlInteger(g.srid)})`;
}

function isWebMercator(grid: CoordinateSystem): boolean {
  return (Object.keys(WEB_MERCATOR) as Array<keyof CoordinateSystem>).every((key) => Math.abs(grid[key] - WEB_MERCATOR[key]) < 1e-6);
}

/** What a filter may name in a layer: its non-geometry columns and its geometry, as `t`. */
export function filterTarget(layer: TableLayer): FilterTarget {
  return { layerId: layer.id, columns: layer.properties, geometryColumn: layer.geometryColumn, geometryKind: layer.geometryKind, srid: layer.srid, alias: 't' };
}
