import type { FilterOptions, FilterTarget } from './filter-context';

/**
 * The layer the unit specs compile filters for: one column of each comparable type, names that
 * need quoting, and a jsonb column filters may only test for NULL. (Test support, not a spec.)
 */
export const PLACES: FilterTarget = {
  layerId: 'public.places',
  alias: 't',
  geometryColumn: 'geom',
  geometryKind: 'geometry',
  srid: 3857,
  columns: [
    { name: 'id', type: 'int4' },
    { name: 'rank', type: 'int2' },
    { name: 'pop', type: 'int8' },
    { name: 'area', type: 'float8' },
    { name: 'share', type: 'float4' },
    { name: 'price', type: 'numeric' },
    { name: 'name', type: 'text' },
    { name: 'Label', type: 'varchar' },
    { name: 'code', type: 'bpchar' },
    { name: 'active', type: 'bool' },
    { name: 'day', type: 'date' },
    { name: 'seen', type: 'timestamp' },
    { name: 'ts', type: 'timestamptz' },
    { name: 'ends', type: 'timestamptz' },
    { name: 'uid', type: 'uuid' },
    { name: 'tags', type: 'jsonb' },
    { name: 'a"b', type: 'text' },
    { name: 'eo:cloud_cover', type: 'float8' },
  ],
};

export const WGS84: FilterOptions = { postgisSchema: 'public', filterSrid: 4326 };
