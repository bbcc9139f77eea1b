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
 *
 * pg_tileserv's dialect (its cql/*.g4 grammar), accepted as well (README.md has the full table):
 *   INTERSECTS|EQUALS|DISJOINT|TOUCHES|WITHIN|OVERLAPS|CROSSES|CONTAINS(a, b)  = S_<same>(a, b)
 *   DWITHIN(a, b, d)              <postgis>.ST_DWithin, d in the column SRID's units, d >= 0
 *   ENVELOPE(x1, y1, x2, y2)      = BBOX(x1, y1, x2, y2)
 *   a [NOT] ILIKE 'p'             PostgreSQL ILIKE (~~*)
 *   2020-01-01                    = DATE('2020-01-01')
 *   2020-01-01T10:00[:00[.f]]     = TIMESTAMP('2020-01-01T10:00:00Z'): no zone is read as UTC
 *   ...T10:00:00Z | ±hh:mm        = TIMESTAMP with that offset (pg_tileserv dropped it)
 *   NOW()                         pg_catalog.now() (UTC wall-clock time against date/timestamp)
 *   % / signed numbers / $ in names / "quoted" names / '' in strings: as in pg_tileserv
 *   a / b                         CQL2 division (numeric for integers); pg_tileserv truncated: use div
 *   filter-crs=3857               SRID 3857 (see parseFilterCrs)
 * Where pg_tileserv let PostgreSQL coerce a quoted value ('5' for an integer), this is a 400.
 */
export type { FilterAst } from './cql-ast';
export { parseFilter } from './cql-parser';
export { filterSql } from './filter-sql';
export type { FilterColumn, FilterOptions, FilterTarget } from './filter-context';
export { parseFilterCrs } from './filter-crs';
export { InvalidFilterError } from './filter-error';
export { FILTER_LIMITS } from './filter-limits';
export type { FilterLimits } from './filter-limits';
