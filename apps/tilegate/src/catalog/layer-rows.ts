import { qualifiedName } from '@app/database';
import { FunctionArgument, FunctionLayer, LayerDefaults, LayerProperty, TableLayer } from './layer.types';

/** Rows of table-layers.sql and function-layers.sql, as node-postgres returns them. */
export interface TableLayerRow {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  description: string;
  geometry_column: string;
  geometry_attnum: number;
  geometry_kind: string;
  /** 1 for the relation's first geometry column, 2 for the next... */
  geometry_rank: string | number;
  srid: number;
  geometry_type: string;
  id_column: string | null;
  properties: LayerProperty[];
  columns_fingerprint: string;
}

export interface FunctionArgumentRow {
  name: string;
  type: string;
  type_schema: string;
  type_name: string;
  refused: boolean;
  default: string | null;
}

export interface FunctionLayerRow {
  oid: string;
  schema: string;
  name: string;
  owner: string;
  description: string;
  arguments: FunctionArgumentRow[];
}

/** A row that cannot be served as it is; the registry logs the reason and leaves the layer out. */
export class UnservableLayer {
  constructor(
    readonly id: string,
    readonly reason: string,
  ) {}
}

/** Until the registry applies the configuration's [[Layer]] settings. */
const NO_SETTINGS: LayerDefaults = { minZoom: 0, maxZoom: 22 };

/**
 * Catalog values go into tile SQL, so each is checked for what it must be before it becomes part
 * of a layer: the SRID a positive integer (it is written into SQL as one), names strings. A
 * relation's first geometry column is the layer `schema.table`; each further one is the layer
 * `schema.table.column` (pg_tileserv served one of them, whichever came last).
 */
export function tableLayerFromRow(row: TableLayerRow): TableLayer | UnservableLayer {
  const first = Number(row.geometry_rank) === 1;
  const id = first ? layerId(row.schema, row.name) : `${layerId(row.schema, row.name)}.${row.geometry_column}`;
  if (!Number.isSafeInteger(row.srid) || row.srid <= 0) return new UnservableLayer(id, `its SRID is not a positive integer (${String(row.srid).slice(0, 20)})`);
  if (!Number.isSafeInteger(row.geometry_attnum) || row.geometry_attnum <= 0) return new UnservableLayer(id, 'its geometry column has no attribute number');
  return {
    kind: 'table',
    id,
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    relkind: row.relkind,
    description: row.description,
    geometryColumn: row.geometry_column,
    geometryAttnum: row.geometry_attnum,
    geometryKind: row.geometry_kind === 'geography' ? 'geography' : 'geometry',
    geometryType: row.geometry_type,
    srid: row.srid,
    idColumn: row.id_column,
    properties: row.properties,
    columnsFingerprint: row.columns_fingerprint,
    settings: NO_SETTINGS,
  };
}

export function functionLayerFromRow(row: FunctionLayerRow): FunctionLayer | UnservableLayer {
  const id = layerId(row.schema, row.name);
  const refused = row.arguments.find((a) => a.refused);
  if (refused) return new UnservableLayer(id, `its argument ${refused.name} is of type ${refused.type}, which tile URLs cannot give safely`);
  const args: FunctionArgument[] = row.arguments.map((a) => ({ name: a.name, type: a.type, cast: qualifiedName(a.type_schema, a.type_name), default: a.default }));
  return {
    kind: 'function',
    id,
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    description: row.description,
    arguments: args,
    overloads: [{ oid: Number(row.oid), arguments: args }],
    settings: NO_SETTINGS,
  };
}

/** `schema.name`, the layer's name in URLs. Dots inside names make ids that can clash (see LayerRegistry). */
export function layerId(schema: string, name: string): string {
  return `${schema}.${name}`;
}
