import type { TilegateConfig } from '@app/config';
import { InvalidParameterError } from '@app/errors';
import { TableLayer } from '../catalog/layer.types';
import { FilterAst, FILTER_LIMITS, parseFilter, parseFilterCrs } from '../filter';
import { boundedInteger, RawQuery, rejectUnknown, singleValue } from './query-values';

export interface TableTileParams {
  limit: number;
  resolution: number;
  buffer: number;
  /** Property names asked for, or null for all of each layer's properties. */
  properties: string[] | null;
  /** The parsed `filter` (CQL2 text or pg_tileserv's dialect), compiled per layer; null for none. */
  filter: FilterAst | null;
  /** The SRID of the filter's geometry literals (`filter-crs`). */
  filterSrid: number;
}

const TABLE_TILE_PARAMETERS = ['limit', 'resolution', 'buffer', 'properties', 'filter', 'filter-crs', 'filter-lang'];
/** The filter languages taken: OGC API Features Part 3's name for CQL2 text, and its older one. */
const FILTER_LANGUAGES = ['cql2-text', 'cql-text'];

/** limit, resolution, buffer, properties and the filter for table layers, with pg_tileserv's defaults, bounded. */
export function parseTableTileParams(query: RawQuery, layers: TableLayer[], config: TilegateConfig): TableTileParams {
  rejectUnknown(query, TABLE_TILE_PARAMETERS);
  const resolution = boundedInteger(query, 'resolution', config.defaultResolution, 16, 65536);
  return {
    limit: boundedInteger(query, 'limit', config.maxFeaturesPerTile ?? 10000000, 1, config.maxFeaturesPerTile ?? 10000000),
    resolution,
    // More than a whole tile of buffer only makes the query slower.
    buffer: boundedInteger(query, 'buffer', Math.min(config.defaultBuffer, resolution), 0, resolution),
    properties: parseProperties(singleValue(query, 'properties'), layers),
    filter: parseFilterParam(query),
    filterSrid: parseFilterCrs(singleValue(query, 'filter-crs')),
  };
}

/** `filter` (empty: none, as in pg_tileserv), in a language we read. Its own length bound is the filter's. */
function parseFilterParam(query: RawQuery): FilterAst | null {
  const language = singleValue(query, 'filter-lang');
  if (language !== undefined && !FILTER_LANGUAGES.includes(language.trim().toLowerCase())) {
    throw new InvalidParameterError('filter-lang', `must be cql2-text, got '${language.slice(0, 40)}'`);
  }
  const text = singleValue(query, 'filter', FILTER_LIMITS.maxBytes);
  return text === undefined || text.trim() === '' ? null : parseFilter(text);
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
