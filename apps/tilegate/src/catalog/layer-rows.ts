import { qualifiedName } from '@app/database';
import { FunctionLayer, LayerProperty, TableLayer } from './layer.types';

/** Rows of table-layers.sql and function-layers.sql, as node-postgres returns them. */
export interface TableLayerRow {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  description: string;
  geometry_column: string;
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

/**
 * Catalog values go into tile SQL, so each is checked for what it must be before it becomes part
 * of a layer: the SRID a positive integer (it is written into SQL as one), names strings.
 */
export function tableLayerFromRow(row: TableLayerRow): TableLayer | UnservableLayer {
  const id = layerId(row.schema, row.name);
  if (!Number.isSafeInteger(row.srid) || row.srid <= 0) return new UnservableLayer(id, `its SRID is not a positive integer (${String(row.srid).slice(0, 20)})`);
  return {
    kind: 'table',
    id,
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    relkind: row.relkind,
    description: row.description,
    geometryColumn: row.geometry_column,
    geometryType: row.geometry_type,
    srid: row.srid,
    idColumn: row.id_column,
    properties: row.properties,
    columnsFingerprint: row.columns_fingerprint,
  };
}

export function functionLayerFromRow(row: FunctionLayerRow): FunctionLayer | UnservableLayer {
  const id = layerId(row.schema, row.name);
  const refused = row.arguments.find((a) => a.refused);
  if (refused) return new UnservableLayer(id, `its argument ${refused.name} is of type ${refused.type}, which tile URLs cannot give safely`);
  return {
    kind: 'function',
    id,
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    description: row.description,
    arguments: row.arguments.map((a) => ({ name: a.name, type: a.type, cast: qualifiedName(a.type_schema, a.type_name), default: a.default })),
  };
}

/** `schema.name`, the layer's name in URLs. Dots inside names make ids that can clash (see LayerRegistry). */
export function layerId(schema: string, name: string): string {
  return `${schema}.${name}`;
}
