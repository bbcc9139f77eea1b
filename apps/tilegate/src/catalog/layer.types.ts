/** What the catalog knows about a layer; role-independent, cached between requests. */
export interface TableLayer {
  kind: 'table';
  /** `schema.name`, the layer's name in URLs. */
  id: string;
  oid: number;
  schema: string;
  name: string;
  /** relkind: r table, v view, m materialized view, p partitioned table, f foreign table. */
  relkind: string;
  description: string;
  geometryColumn: string;
  geometryType: string;
  srid: number;
  /** A single-column integer primary key, used as the MVT feature id. */
  idColumn: string | null;
  properties: LayerProperty[];
  /** Changes when a column is added, dropped, renamed or altered (see layer-columns-fingerprint.sql). */
  columnsFingerprint: string;
}

export interface LayerProperty {
  name: string;
  type: string;
  description: string;
}

export interface FunctionLayer {
  kind: 'function';
  id: string;
  oid: number;
  schema: string;
  name: string;
  description: string;
  /** Arguments after z, x, y, in order. */
  arguments: FunctionArgument[];
}

export interface FunctionArgument {
  name: string;
  /** As format_type prints it: `integer`, `double precision`, `text`, `"my schema".mytype`; shown, never spliced. */
  type: string;
  /** The type as tile SQL casts to it: `"pg_catalog"."int4"`, both parts quoted identifiers. */
  cast: string;
  /** The default expression, or null when the caller must give a value. */
  default: string | null;
}

export type Layer = TableLayer | FunctionLayer;
