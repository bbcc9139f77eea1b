import { escapeIdentifier, escapeLiteral, qualifiedName } from '@app/database';
import { TableLayer } from '../catalog/layer.types';
import { TileCoordinates } from './tile-coordinates';
import { TableTileParams } from './table-tile-params';

export interface TileQuery {
  text: string;
  values: unknown[];
}

const WEB_MERCATOR_EXTENT = 'ST_MakeEnvelope(-20037508.342789244, -20037508.342789244, 20037508.342789244, 20037508.342789244, 3857)';

/** The geometry's name inside the MVT subquery; chosen so no ordinary column clashes with it. */
const MVT_GEOMETRY = 'tilegate_mvt_geom';

/**
 * One statement that makes the tile for one or more table layers: one MVT layer each, concatenated
 * (a tile is a sequence of layers, so `||` of encoded layers is a valid tile). Identifiers come
 * from the catalog and are quoted; everything from the request is a parameter:
 * $1 z, $2 x, $3 y, $4 resolution (extent), $5 buffer, $6 limit.
 * The text depends only on the layers and the chosen properties, so it is stable per layer.
 */
export function tableTileQuery(layers: TableLayer[], tile: TileCoordinates, params: TableTileParams): TileQuery {
  const parts = layers.map((layer) => `coalesce((${layerSql(layer, params.properties)}), ''::bytea)`);
  const text = [
    'WITH bounds AS (',
    '  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS clip,',
    // The buffered envelope is clamped to the projection's extent: past ±180° PROJ wraps
    // longitudes, and an edge tile's query box would turn inside out in the layer's SRID.
    `         ST_Intersection(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $5::float8 / $4::float8), ${WEB_MERCATOR_EXTENT}) AS query`,
    ')',
    `SELECT ${parts.join('\n    || ')} AS mvt`,
  ].join('\n');
  return { text, values: [tile.z, tile.x, tile.y, params.resolution, params.buffer, params.limit] };
}

function layerSql(layer: TableLayer, wanted: string[] | null): string {
  const geom = `t.${escapeIdentifier(layer.geometryColumn)}`;
  const columns = selectedColumns(layer, wanted).map((name) => `t.${escapeIdentifier(name)}`);
  // Compare in the layer's own SRID so its spatial index is used.
  const queryBox = layer.srid === 3857 ? 'bounds.query' : `ST_Transform(bounds.query, ${layer.srid})`;
  const mvtArgs = [`mvtgeom`, escapeLiteral(layer.id), '$4::int', escapeLiteral(MVT_GEOMETRY)];
  if (layer.idColumn) mvtArgs.push(escapeLiteral(layer.idColumn));
  return [
    `SELECT ST_AsMVT(${mvtArgs.join(', ')}) FROM (`,
    `    SELECT ST_AsMVTGeom(ST_Transform(${geom}, 3857), bounds.clip, $4::int, $5::int) AS ${MVT_GEOMETRY}${columns.map((c) => `, ${c}`).join('')}`,
    `    FROM ${qualifiedName(layer.schema, layer.name)} t, bounds`,
    `    WHERE ST_Intersects(${geom}, ${queryBox})`,
    '    LIMIT $6',
    '  ) AS mvtgeom',
  ].join('\n');
}

/** All properties, or the wanted ones this layer has; the id column always, as the feature id. */
function selectedColumns(layer: TableLayer, wanted: string[] | null): string[] {
  const names = layer.properties.map((p) => p.name).filter((name) => wanted === null || wanted.includes(name));
  if (layer.idColumn && !names.includes(layer.idColumn)) names.push(layer.idColumn);
  return names;
}
