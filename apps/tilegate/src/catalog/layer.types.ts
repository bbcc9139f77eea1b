/** What the catalog knows about a layer; role-independent, cached between requests. */
export interface TableLayer {
  kind: 'table';
  /** `schema.name` (or `schema.name.column` for a relation's further geometry columns), the layer's name in URLs. */
  id: string;
  oid: number;
  schema: string;
  name: string;
  /** relkind: r table, v view, m materialized view, p partitioned table, f foreign table. */
  relkind: string;
  description: string;
  geometryColumn: string;
  /** Its attribute number: column-level privileges are asked about it. */
  geometryAttnum: number;
  /** geography columns are served too (cast to geometry for the tile). */
  geometryKind: 'geometry' | 'geography';
  geometryType: string;
  srid: number;
  /** A single-column integer primary key, used as the MVT feature id. */
  idColumn: string | null;
  /** Every other column; a role with column-level GRANTs gets the ones it may read. */
  properties: LayerProperty[];
  /** Changes when a column is added, dropped, renamed or altered (see layer-columns-fingerprint.sql). */
  columnsFingerprint: string;
  settings: LayerDefaults;
}

export interface LayerProperty {
  name: string;
  type: string;
  description: string;
  attnum: number;
}

/** Per-layer settings from the configuration's [[Layer]] tables, over the server-wide defaults. */
export interface LayerDefaults {
  minZoom: number;
  maxZoom: number;
  limit?: number;
  buffer?: number;
  resolution?: number;
  cache?: 'off' | 'role' | 'claims';
}

export interface FunctionLayer {
  kind: 'function';
  id: string;
  /** The first overload's, for visibility checks and documents; all of them are in `overloads`. */
  oid: number;
  schema: string;
  name: string;
  description: string;
  /** Arguments after z, x, y, in order (the first overload's). */
  arguments: FunctionArgument[];
  /** Functions of one name in one schema, by one owner: a tile request picks one by the arguments it gives. */
  overloads: FunctionOverload[];
  settings: LayerDefaults;
}

export interface FunctionOverload {
  oid: number;
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

/** A function that signs users in: it returns the JwtTypeIdentifier type; POST /auth/{id}. */
export interface SignInFunction {
  id: string;
  oid: number;
  schema: string;
  name: string;
  description: string;
  arguments: FunctionArgument[];
}
