import { escapeIdentifier, sqlInteger } from '@app/database';
import { printable } from '@app/errors';
import type { PropertyNode } from './cql-ast';
import { SqlType, sqlType, typeLabel } from './column-types';
import { InvalidFilterError, quoted } from './filter-error';

export interface FilterColumn {
  name: string;
  /** pg_type.typname: int4, text, timestamptz, ... */
  type: string;
}

/** The layer a filter is compiled for. */
export interface FilterTarget {
  /** e.g. 'public.places', used in messages. */
  layerId: string;
  /** The non-geometry columns a filter may name (the id column included). */
  columns: FilterColumn[];
  geometryColumn: string;
  geometryKind: 'geometry' | 'geography';
  /** The geometry column's SRID (a checked integer). */
  srid: number;
  /** The table's alias in the tile SQL, e.g. 't'. */
  alias: string;
}

export interface FilterOptions {
  /** The schema PostGIS is installed in: its functions are called by qualified name. */
  postgisSchema: string;
  /** The SRID geometry literals are written in (the filter-crs parameter). */
  filterSrid: number;
}

export type ResolvedProperty =
  | { kind: 'column'; name: string; sql: string; type: SqlType | null; typname: string; what: string }
  | { kind: 'geometry'; name: string; sql: string; what: string };

/** What the compiler needs at every node: the target, checked once, and the quoted names. */
export interface FilterContext {
  target: FilterTarget;
  /** "public" quoted: the prefix of every PostGIS function. */
  postgis: string;
  srid: string;
  filterSrid: string;
  resolve(node: PropertyNode): ResolvedProperty;
}

const ALIAS = /^[a-z_][a-z0-9_]*$/;

export function filterContext(target: FilterTarget, options: FilterOptions): FilterContext {
  // Programming errors, not request errors: the tile SQL builder passes these.
  if (!ALIAS.test(target.alias)) throw new Error(`filter alias must be a plain lower-case identifier: ${target.alias}`);
  const candidates: ResolvedProperty[] = target.columns.map((c) => {
    const type = sqlType(c.type);
    const sql = `${target.alias}.${escapeIdentifier(c.name)}`;
    const what = `${type ? typeLabel(type) : c.type} property ${quoted(c.name)}`;
    return { kind: 'column', name: c.name, sql, type, typname: c.type, what };
  });
  const geometry = target.geometryColumn;
  candidates.push({ kind: 'geometry', name: geometry, sql: `${target.alias}.${escapeIdentifier(geometry)}`, what: `geometry property ${quoted(geometry)}` });
  return {
    target,
    postgis: escapeIdentifier(options.postgisSchema),
    srid: sqlInteger(target.srid),
    filterSrid: sqlInteger(options.filterSrid),
    resolve: (node) => resolve(candidates, node, target.layerId),
  };
}

/** Exact name first; then case-insensitively, if that picks exactly one. */
function resolve(candidates: ResolvedProperty[], node: PropertyNode, layerId: string): ResolvedProperty {
  const exact = candidates.find((c) => c.name === node.name);
  if (exact) return exact;
  const lower = node.name.toLowerCase();
  const loose = candidates.filter((c) => c.name.toLowerCase() === lower);
  if (loose.length === 1) return loose[0];
  if (loose.length > 1) {
    const names = loose.map((c) => quoted(c.name)).join(' and ');
    throw InvalidFilterError.near(node.pos, `property ${quoted(node.name)} of layer ${printable(layerId)} could be ${names}; write it exactly`);
  }
  throw InvalidFilterError.near(node.pos, `layer ${printable(layerId)} has no property ${quoted(node.name)}`);
}
