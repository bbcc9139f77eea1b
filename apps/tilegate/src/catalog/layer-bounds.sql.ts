import { escapeIdentifier, qualifiedName, sqlInteger } from '@app/database';
import { TableLayer } from './layer.types';

/** Relation kinds PostGIS keeps extent statistics for. */
const HAS_STATISTICS = new Set(['r', 'm', 'p']);
/** ST_EstimatedExtent re-parses schema and table as SQL names and rejects any that need quoting. */
const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

function usesStatistics(layer: TableLayer): boolean {
  return layer.geometryKind === 'geometry' && HAS_STATISTICS.has(layer.relkind) && PLAIN_NAME.test(layer.schema) && PLAIN_NAME.test(layer.name);
}

/**
 * Bounds of a table layer in EPSG:4326, as the current role may know them: xmin, ymin, xmax, ymax.
 * The planner's statistics (ST_EstimatedExtent) are cheap but describe every row; when row level
 * security applies to the role they would reveal where rows it cannot see lie, so then (and when
 * there are no statistics) the extent of up to 10,000 rows the role can see is used instead.
 * Every function is called by its schema (the request's search_path is pinned, but a layer's
 * SQL should not depend on it). Parameters: $1 relation oid, $2 schema, $3 table, $4 geometry column.
 */
export function layerBoundsSql(layer: TableLayer, postgisSchema: string): string {
  const p = escapeIdentifier(postgisSchema);
  const column = `t.${escapeIdentifier(layer.geometryColumn)}`;
  const geom = layer.geometryKind === 'geography' ? `${p}.geometry(${column})` : column;
  const sampled = `(SELECT ${p}.ST_Extent(s.g) FROM (SELECT ${geom} AS g FROM ${qualifiedName(layer.schema, layer.name)} t LIMIT 10000) s)`;
  const estimated = usesStatistics(layer)
    ? `CASE WHEN pg_catalog.row_security_active($1::pg_catalog.oid) THEN NULL ELSE ${p}.ST_EstimatedExtent($2::pg_catalog.text, $3::pg_catalog.text, $4::pg_catalog.text) END`
    : 'NULL';
  return [
    `SELECT ${p}.ST_XMin(b) AS xmin, ${p}.ST_YMin(b) AS ymin, ${p}.ST_XMax(b) AS xmax, ${p}.ST_YMax(b) AS ymax`,
    `FROM (SELECT ${p}.ST_Transform(${p}.ST_SetSRID(coalesce(${estimated}, ${sampled})::${p}.geometry, ${sqlInteger(layer.srid)}), 4326) AS b) e`,
    'WHERE b IS NOT NULL',
  ].join('\n');
}

export function layerBoundsParams(layer: TableLayer): unknown[] {
  // Without statistics the statement names no parameter, and PostgreSQL refuses unused ones.
  return usesStatistics(layer) ? [layer.oid, layer.schema, layer.name, layer.geometryColumn] : [];
}
