import { escapeIdentifier, escapeLiteral, qualifiedName, sqlInteger } from '@app/database';
import { TableLayer } from '../catalog/layer.types';
import { TileCoordinates } from './tile-coordinates';
import { TableTileParams } from './table-tile-params';
import { filterSql, FilterTarget } from '../filter';

/** A tile's statement, complete: every request value is already in it as a checked literal. */
export interface TileQuery {
  text: string;
}


/** The geometry's name inside the MVT subquery; chosen so no ordinary column clashes with it. */
const MVT_GEOMETRY = 'tilegate_mvt_geom';

/**
 * One statement that makes the tile for one or more table layers: one MVT layer each, concatenated
 * (a tile is a sequence of layers, so `||` of encoded layers is a valid tile). Identifiers come
 * from the catalog and are quoted. The request's values (z, x, y, resolution, buffer, limit) are
 * parsed integers, written as literals: the statement goes out with its role switch in one simple
 * query message (RoleTransaction.runStatement), which takes no parameters. Every function and
 * operator is named by its schema (`postgisSchema` for PostGIS), so nothing resolves through the
 * search_path.
 */
export function tableTileQuery(layers: TableLayer[], tile: TileCoordinates, params: TableTileParams, postgisSchema: string): TileQuery {
  const v = tileValues(tile, params, escapeIdentifier(postgisSchema));
  const p = v.postgis;
  const parts = layers.map((layer) => `coalesce((${layerSql(layer, params, v, postgisSchema)}), ''::pg_catalog.bytea)`);
  const webMercatorExtent = `${p}.ST_MakeEnvelope(-20037508.342789244, -20037508.342789244, 20037508.342789244, 20037508.342789244, 3857)`;
  const text = [
    'WITH bounds AS (',
    `  SELECT ${p}.ST_TileEnvelope(${v.z}, ${v.x}, ${v.y}) AS clip,`,
    `         ${p}.ST_Intersection(${p}.ST_TileEnvelope(${v.z}, ${v.x}, ${v.y}, margin => ${v.buffer}::pg_catalog.float8 OPERATOR(pg_catalog./) ${v.resolution}::pg_catalog.float8), ${webMercatorExtent}) AS query`,
    ')',
    `SELECT ${parts.join('\n    OPERATOR(pg_catalog.||) ')} AS mvt`,
  ].join('\n');
  return { text };
}

type TileValues = Record<'z' | 'x' | 'y' | 'resolution' | 'buffer' | 'limit' | 'postgis', string>;

function tileValues(tile: TileCoordinates, params: TableTileParams, postgis: string): TileValues {
  return {
    postgis,
    z: sqlInteger(tile.z),
    x: sqlInteger(tile.x),
    y: sqlInteger(tile.y),
    resolution: sqlInteger(params.resolution),
    buffer: sqlInteger(params.buffer),
    limit: sqlInteger(params.limit),
  };
}

function layerSql(layer: TableLayer, params: TableTileParams, v: TileValues, postgisSchema: string): string {
  const p = v.postgis;
  const geom = `t.${escapeIdentifier(layer.geometryColumn)}`;
  const columns = selectedColumns(layer, params.properties).map((name) => `t.${escapeIdentifier(name)}`);
  // The filter is compiled for each layer: its columns are checked against that layer's own.
  const filter = params.filter ? `\n      AND ${filterSql(params.filter, filterTarget(layer), { postgisSchema, filterSrid: params.filterSrid })}` : '';
  // Compare in the layer's own SRID so its spatial index is used.
  const srid = sqlInteger(layer.srid);
  const queryBox = layer.srid === 3857 ? 'bounds.query' : `${p}.ST_Transform(bounds.query, ${srid})`;
  const mvtArgs = [`mvtgeom`, escapeLiteral(layer.id), v.resolution, escapeLiteral(MVT_GEOMETRY)];
  if (layer.idColumn) mvtArgs.push(escapeLiteral(layer.idColumn));
  return [
    `SELECT ${p}.ST_AsMVT(${mvtArgs.join(', ')}) FROM (`,
    `    SELECT ${p}.ST_AsMVTGeom(${p}.ST_Transform(${geom}, 3857), bounds.clip, ${v.resolution}, ${v.buffer}) AS ${MVT_GEOMETRY}${columns.map((c) => `, ${c}`).join('')}`,
    `    FROM ${qualifiedName(layer.schema, layer.name)} t, bounds`,
    `    WHERE ${p}.ST_Intersects(${geom}, ${queryBox})${filter}`,
    `    LIMIT ${v.limit}`,
    '  ) AS mvtgeom',
  ].join('\n');
}

/** What a filter may name in a layer: its non-geometry columns and its geometry, as `t`. */
function filterTarget(layer: TableLayer): FilterTarget {
  return { layerId: layer.id, columns: layer.properties, geometryColumn: layer.geometryColumn, geometryKind: 'geometry', srid: layer.srid, alias: 't' };
}

/** All properties, or the wanted ones this layer has; the id column always, as the feature id. */
function selectedColumns(layer: TableLayer, wanted: string[] | null): string[] {
  const names = layer.properties.map((p) => p.name).filter((name) => wanted === null || wanted.includes(name));
  if (layer.idColumn && !names.includes(layer.idColumn)) names.push(layer.idColumn);
  return names;
}
