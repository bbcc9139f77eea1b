import { ConfigError } from './config-error';
import type { CatalogScope } from './tilegate-config';

/**
 * Whether the catalog offers a layer at all, before any role's privileges (pg_tileserv issue #155,
 * like pg_featureserv's TableIncludes/TableExcludes). With no include pattern every layer is in;
 * otherwise a layer is in when its schema matches IncludeSchemas or its id matches IncludeLayers.
 * A match in ExcludeSchemas or ExcludeLayers always wins. Names compare case-sensitively, as
 * PostgreSQL identifiers and layer ids do.
 */
export function inCatalogScope(scope: CatalogScope, schema: string, layerId: string): boolean {
  const included =
    (scope.includeSchemas.length === 0 && scope.includeLayers.length === 0) ||
    scope.includeSchemas.some((p) => globMatch(p, schema)) ||
    scope.includeLayers.some((p) => globMatch(p, layerId));
  const excluded = scope.excludeSchemas.some((p) => globMatch(p, schema)) || scope.excludeLayers.some((p) => globMatch(p, layerId));
  return included && !excluded;
}

/**
 * `*` matches any characters (none included); everything else matches itself. No regular
 * expression is built from the pattern and nothing backtracks: the text between stars is found
 * left to right, each piece once (the leftmost place is always the right one when the only
 * wildcard is `*`), so the cost is bounded by text length times pattern length.
 */
export function globMatch(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** The four lists, each pattern a non-empty string; the key is named when one is not. */
export function buildCatalogScope(lists: Record<'IncludeSchemas' | 'ExcludeSchemas' | 'IncludeLayers' | 'ExcludeLayers', string[]>): CatalogScope {
  for (const [key, patterns] of Object.entries(lists)) {
    if (patterns.some((p) => p.trim() === '')) throw new ConfigError(key, 'patterns must not be empty (use "*" for everything)');
  }
  return { includeSchemas: lists.IncludeSchemas, excludeSchemas: lists.ExcludeSchemas, includeLayers: lists.IncludeLayers, excludeLayers: lists.ExcludeLayers };
}
