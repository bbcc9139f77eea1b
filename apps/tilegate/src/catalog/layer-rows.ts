import { FunctionArgument, FunctionLayer, LayerProperty, TableLayer } from './layer.types';

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

export interface FunctionLayerRow {
  oid: string;
  schema: string;
  name: string;
  description: string;
  arguments: FunctionArgument[];
}

export function tableLayerFromRow(row: TableLayerRow): TableLayer {
  return {
    kind: 'table',
    id: `${row.schema}.${row.name}`,
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

export function functionLayerFromRow(row: FunctionLayerRow): FunctionLayer {
  return {
    kind: 'function',
    id: `${row.schema}.${row.name}`,
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    description: row.description,
    arguments: row.arguments,
  };
}
