import type { TilegateConfig } from '@app/config';
import { InvalidParameterError } from '@app/errors';
import { TableLayer } from '../catalog/layer.types';
import { FilterAst, FILTER_LIMITS, parseFilter, parseFilterCrs } from '../filter';
import { integerValue, QueryParameters } from './query-values';

/** What the request asked of table layers; each layer turns it into its own settings (settingsFor). */
export interface TableTileRequest {
  /** `limit` as given (positive), or undefined for each layer's default. */
  limit: number | undefined;
  resolution: number | undefined;
  buffer: number | undefined;
  /** Property names asked for, or null for all of each layer's properties. */
  properties: string[] | null;
  /** The parsed `filter` (CQL2 text or pg_tileserv's dialect), compiled per layer; null for none. */
  filter: FilterAst | null;
  /** The SRID of the filter's geometry literals (`filter-crs`). */
  filterSrid: number;
}

/** One layer's part of a tile: what its subquery uses. */
export interface LayerTileSettings {
  /** Rows at most, or null for no limit (MaxFeaturesPerTile = -1 and no per-layer Limit). */
  limit: number | null;
  resolution: number;
  buffer: number;
  /** The property columns selected, in order; the id column a second time when all are sent (see settingsFor). */
  columns: string[];
}

/** MVT extents beyond this are not tiles anyone draws; bounded so a request cannot ask for absurd work. */
export const MAX_RESOLUTION = 65536;
export const TABLE_TILE_PARAMETERS = ['limit', 'resolution', 'buffer', 'properties', 'filter', 'filter-crs', 'filter-lang'];
/** The filter languages taken: OGC API Features Part 3's name for CQL2 text, and its older one. */
const FILTER_LANGUAGES = ['cql2-text', 'cql-text'];

/**
 * limit, resolution, buffer, properties and the filter for table layers, read as pg_tileserv reads
 * them: `limit` of 0 or below means the default, `resolution` and `buffer` below 0 too. Two
 * deliberate differences: a `limit` above the layer's maximum is clamped to it (pg_tileserv takes
 * any limit as given, so any client could make the database work without bound), and a value
 * that is not a number is a 400 (pg_tileserv quietly used the default). StrictParameters makes
 * out-of-range values, unknown parameters and unknown property names 400s.
 */
export function parseTableTileRequest(query: QueryParameters, config: TilegateConfig): TableTileRequest {
  const positive = (name: string, max: number) => {
    const value = integerValue(query, name);
    if (value === undefined) return undefined;
    if (value > max) throw new InvalidParameterError(name, `must be at most ${max}`);
    if (value <= 0 && query.strict) throw new InvalidParameterError(name, 'must be a positive whole number');
    return value > 0 ? value : undefined;
  };
  const buffer = integerValue(query, 'buffer');
  if (buffer !== undefined && buffer < 0 && query.strict) throw new InvalidParameterError('buffer', 'must not be negative');
  const limit = positive('limit', Number.MAX_SAFE_INTEGER);
  const max = config.maxFeaturesPerTile;
  if (query.strict && limit !== undefined && max !== null && limit > max) throw new InvalidParameterError('limit', `must be from 1 to ${max}`);
  return {
    limit,
    resolution: positive('resolution', MAX_RESOLUTION),
    buffer: buffer !== undefined && buffer >= 0 ? buffer : undefined,
    properties: parseProperties(query.value('properties')),
    filter: parseFilterParam(query),
    filterSrid: parseFilterCrs(query.value('filter-crs')),
  };
}

/** The request as one layer serves it: its own defaults, bounds, and properties. */
export function settingsFor(layer: TableLayer, request: TableTileRequest, config: TilegateConfig, strict: boolean): LayerTileSettings {
  const max = layer.settings.limit ?? config.maxFeaturesPerTile;
  const resolution = request.resolution ?? layer.settings.resolution ?? config.defaultResolution;
  // More than a whole tile of buffer only makes the query slower.
  const buffer = Math.min(request.buffer ?? layer.settings.buffer ?? config.defaultBuffer, resolution);
  return {
    limit: request.limit === undefined ? max : max === null ? request.limit : Math.min(request.limit, max),
    resolution,
    buffer,
    columns: columnsFor(layer, request.properties, strict),
  };
}

/**
 * The columns a layer's tile selects. Asked-for names are matched exactly, each layer taking the
 * ones it has; when none match (or none were asked for, or `properties=` is empty) all are sent,
 * as pg_tileserv does. With all, the id column goes in twice: ST_AsMVT takes the first as the
 * feature id and sends the second as a property, so styles reading `["get", "id"]` keep working.
 */
function columnsFor(layer: TableLayer, wanted: string[] | null, strict: boolean): string[] {
  const names = layer.properties.map((p) => p.name);
  if (wanted !== null) {
    const unknown = wanted.find((name) => !names.includes(name));
    if (strict && unknown !== undefined) {
      throw new InvalidParameterError('properties', `layer ${layer.id} has no property named '${unknown.slice(0, 63)}'`, `properties: ${names.join(', ')}`);
    }
    const chosen = names.filter((name) => wanted.includes(name));
    if (chosen.length > 0) return layer.idColumn && !chosen.includes(layer.idColumn) ? [...chosen, layer.idColumn] : chosen;
  }
  return layer.idColumn ? [layer.idColumn, ...names] : names;
}

/** `properties=a,b`: a comma list; empty means all (as pg_tileserv). */
function parseProperties(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return names.length > 0 ? names : null;
}

/** `filter` (empty: none, as in pg_tileserv), in a language we read. Its own length bound is the filter's. */
function parseFilterParam(query: QueryParameters): FilterAst | null {
  const language = query.value('filter-lang');
  if (language !== undefined && !FILTER_LANGUAGES.includes(language.trim().toLowerCase())) {
    throw new InvalidParameterError('filter-lang', `must be cql2-text, got '${language.slice(0, 40)}'`);
  }
  const text = query.value('filter', FILTER_LIMITS.maxBytes);
  return text === undefined || text.trim() === '' ? null : parseFilter(text);
}
