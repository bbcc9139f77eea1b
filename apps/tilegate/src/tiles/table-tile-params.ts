import type { TilegateConfig } from '@app/config';
import { InvalidParameterError } from '@app/errors';
import { TableLayer } from '../catalog/layer.types';
import { boundedInteger, RawQuery, rejectUnknown, singleValue } from './query-values';

export interface TableTileParams {
  limit: number;
  resolution: number;
  buffer: number;
  /** Property names asked for, or null for all of each layer's properties. */
  properties: string[] | null;
}

const TABLE_TILE_PARAMETERS = ['limit', 'resolution', 'buffer', 'properties'];
/** In the contract but not built yet: refused with a clear message rather than ignored. */
const NOT_YET_SUPPORTED = ['filter', 'filter-crs'];

/** limit, resolution, buffer and properties for table layers, with pg_tileserv's defaults, bounded. */
export function parseTableTileParams(query: RawQuery, layers: TableLayer[], config: TilegateConfig): TableTileParams {
  for (const name of NOT_YET_SUPPORTED) {
    if (name in query) throw new InvalidParameterError(name, 'CQL filters are not supported yet');
  }
  rejectUnknown(query, TABLE_TILE_PARAMETERS);
  const resolution = boundedInteger(query, 'resolution', config.defaultResolution, 16, 65536);
  return {
    limit: boundedInteger(query, 'limit', config.maxFeaturesPerTile, 1, config.maxFeaturesPerTile),
    resolution,
    // More than a whole tile of buffer only makes the query slower.
    buffer: boundedInteger(query, 'buffer', Math.min(config.defaultBuffer, resolution), 0, resolution),
    properties: parseProperties(singleValue(query, 'properties'), layers),
  };
}

/** `properties=a,b`: each name must be a property of at least one of the layers. Empty means none. */
function parseProperties(text: string | undefined, layers: TableLayer[]): string[] | null {
  if (text === undefined) return null;
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const known = new Set(layers.flatMap((l) => l.properties.map((p) => p.name)));
  const unknown = names.find((n) => !known.has(n));
  if (unknown !== undefined) {
    throw new InvalidParameterError('properties', `no layer has a property named '${unknown.slice(0, 63)}'`, `properties: ${[...known].join(', ')}`);
  }
  return names;
}
