import type { BetweenNode, BooleanNode, FilterAst, InNode, IsNullNode, LikeNode } from './cql-ast';
import { family } from './column-types';
import { FilterContext, filterContext, FilterOptions, FilterTarget } from './filter-context';
import { InvalidFilterError } from './filter-error';
import { naturalLiteral, operatorSql, typedLiteral } from './literal-sql';
import { comparable, comparisonSql, operand, typedSql } from './scalar-sql';
import { spatialSql } from './spatial-sql';
import { temporalSql } from './temporal-sql';

/**
 * The filter as one boolean SQL expression over `target.alias`, for a WHERE clause. It binds at
 * least as tightly as NOT (AND and OR groups are parenthesised), so it can follow `AND` as is.
 *
 * Everything in it is ours or escaped: properties are the layer's own columns, quoted; values are
 * escaped literals with a pg_catalog cast; operators are OPERATOR(pg_catalog.x) and functions
 * pg_catalog.f or the PostGIS schema's, so nothing resolves through the search_path. There are no
 * $n parameters: the statement goes out in one simple-protocol message. The output is a pure
 * function of its inputs, so it can be snapshot-tested.
 */
export function filterSql(ast: FilterAst, target: FilterTarget, options: FilterOptions): string {
  return conditionSql(ast, filterContext(target, options));
}

function conditionSql(node: BooleanNode, ctx: FilterContext): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.args.map((arg) => conditionSql(arg, ctx)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT ${conditionSql(node.arg, ctx)}`;
    case 'compare':
      return comparisonSql(node.left, node.op, node.right, node.pos, ctx);
    case 'like':
      return likeSql(node, ctx);
    case 'between':
      return betweenSql(node, ctx);
    case 'in':
      return inSql(node, ctx);
    case 'isNull':
      return isNullSql(node, ctx);
    case 'spatial':
    case 'dwithin':
      return spatialSql(node, ctx);
    case 'temporal':
      return temporalSql(node, ctx);
    case 'boolean':
      return typedLiteral(node.value ? 'true' : 'false', 'bool');
  }
}

/** ~~ is LIKE, ~~* ILIKE; '%' and '_' are the wildcards and '\' the escape, as in CQL2. */
function likeSql(node: LikeNode, ctx: FilterContext): string {
  const value = typedSql(node.value, ctx);
  if (family(value.type) !== 'string') throw InvalidFilterError.near(node.pos, `LIKE needs text, not ${value.what}`);
  const op = `${node.negated ? '!' : ''}~~${node.insensitive ? '*' : ''}`;
  return `${value.sql} ${operatorSql(op)} ${typedSql(node.pattern, ctx).sql}`;
}

/** Spelled out: SQL's BETWEEN would look its >= and <= up on the search_path. */
function betweenSql(node: BetweenNode, ctx: FilterContext): string {
  const low = comparisonSql(node.value, '>=', node.low, node.pos, ctx);
  const high = comparisonSql(node.value, '<=', node.high, node.pos, ctx);
  return `${node.negated ? 'NOT ' : ''}(${low} AND ${high})`;
}

/** `= ANY (ARRAY[...])` with pg_catalog's =, which a btree index serves like IN. */
function inSql(node: InNode, ctx: FilterContext): string {
  const value = operand(node.value, ctx);
  const items = node.list.map((item) => ({ pos: item.pos, side: operand(item, ctx) }));
  let sql: string;
  if ('typed' in value) {
    const list = items.map((item) => comparable(value, item.side, item.pos)[1]);
    sql = `${value.typed.sql} ${operatorSql('=')} ANY (ARRAY[${list.join(', ')}])`;
  } else {
    // A literal before IN ('a' IN (x, y)): each comparison types the literal for its own side.
    sql = `(${items.map((item) => comparable(value, item.side, item.pos).join(` ${operatorSql('=')} `)).join(' OR ')})`;
  }
  return node.negated ? `NOT (${sql})` : sql;
}

function isNullSql(node: IsNullNode, ctx: FilterContext): string {
  const test = node.negated ? 'IS NOT NULL' : 'IS NULL';
  const value = node.value;
  switch (value.kind) {
    case 'property':
      // Any column, of any type, and the geometry: testing for NULL needs no operator.
      return `${ctx.resolve(value).sql} ${test}`;
    case 'arithmetic':
    case 'negate':
    case 'casei':
      return `${typedSql(value, ctx).sql} ${test}`;
    case 'string':
    case 'number':
    case 'date':
    case 'timestamp':
    case 'now':
      return `${naturalLiteral(value, value.pos).sql} ${test}`;
    default:
      return `(${conditionSql(value, ctx)}) ${test}`;
  }
}
