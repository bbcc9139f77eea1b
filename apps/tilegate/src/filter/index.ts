/**
 * Feature filters: CQL2 text (OGC 21-065r2) and pg_tileserv's CQL dialect, parsed by a
 * hand-written lexer and recursive-descent parser into an AST, then compiled against one layer's
 * columns into a boolean SQL expression for the tile query's WHERE clause.
 *
 *   const ast = parseFilter(request.filter);            // syntax only; InvalidFilterError (400)
 *   const where = filterSql(ast, target, options);      // checked against the layer's columns
 *
 * CQL2 conformance classes (http://www.opengis.net/spec/cql2/1.0/conf/...):
 *   implemented:  basic-cql2, advanced-comparison-operators, case-insensitive-comparison,
 *                 basic-spatial-functions, basic-spatial-functions-plus, spatial-functions (2D: Z
 *                 values are read and dropped), temporal-functions (instants and intervals),
 *                 property-property, arithmetic, cql2-text
 *   refused with a 400 that says so: accent-insensitive-comparison (ACCENTI), array-functions
 *                 (A_*), functions (custom functions), cql2-json
 * pg_tileserv's forms (unprefixed spatial predicates, DWITHIN, ENVELOPE, ILIKE, bare dates and
 * timestamps, NOW()) are accepted as well; README.md lists each with its meaning.
 */
export type { FilterAst } from './cql-ast';
export { parseFilter } from './cql-parser';
export { filterSql } from './filter-sql';
export type { FilterColumn, FilterOptions, FilterTarget } from './filter-context';
export { parseFilterCrs } from './filter-crs';
export { InvalidFilterError } from './filter-error';
export { FILTER_LIMITS } from './filter-limits';
export type { FilterLimits } from './filter-limits';
