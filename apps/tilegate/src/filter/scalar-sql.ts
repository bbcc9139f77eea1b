import type { ArithmeticNode, ComparisonOperator, LiteralNode, ScalarNode } from './cql-ast';
import { family, isFloat, isInteger, SqlType } from './column-types';
import { FilterContext } from './filter-context';
import { InvalidFilterError } from './filter-error';
import { describeLiteral, literalAs, naturalLiteral, numberTypeFor, OpenEnd, operatorSql, pgCast, typedLiteral } from './literal-sql';

/** A compiled value whose SQL type is known: a column, or an expression over one. */
export interface Typed {
  sql: string;
  type: SqlType;
  what: string;
}

/** What a comparison side can be: a value of the AST, or an interval's open end. */
export type Value = ScalarNode | OpenEnd;
export type Operand = { typed: Typed } | { literal: LiteralNode | OpenEnd };

/**
 * `left op right` with both sides of one family. A literal takes the type of the other side
 * (so `t."pop" OPERATOR(pg_catalog.>) '1000'::pg_catalog.int8` for an int8 column: the column is
 * compared with a value of its own type and its btree index applies).
 */
export function comparisonSql(left: Value, op: ComparisonOperator, right: Value, pos: number, ctx: FilterContext): string {
  const [l, r] = comparable(operand(left, ctx), operand(right, ctx), pos);
  return `${l} ${operatorSql(op)} ${r}`;
}

/** Both sides as SQL, checked to compare; the typed side (the left one, if both are) leads. */
export function comparable(left: Operand, right: Operand, pos: number): [string, string] {
  if ('typed' in left && 'typed' in right) {
    if (family(left.typed.type) !== family(right.typed.type)) throw mismatch(left.typed.what, right.typed.what, pos);
    return [left.typed.sql, right.typed.sql];
  }
  if ('typed' in left) return [left.typed.sql, literalOrMismatch(right, left.typed, pos, true)];
  if ('typed' in right) return [literalOrMismatch(left, right.typed, pos, false), right.typed.sql];
  const anchor = naturalLiteral(left.literal, pos);
  return [anchor.sql, literalOrMismatch(right, anchor, pos, true)];
}

function literalOrMismatch(side: Operand, anchor: Typed, pos: number, anchorFirst: boolean): string {
  const literal = (side as { literal: LiteralNode | OpenEnd }).literal;
  const sql = literalAs(literal, anchor.type, pos);
  if (sql !== null) return sql;
  const what = describeLiteral(literal);
  const hint = literal.kind === 'string' ? QUOTED_HINTS[family(anchor.type)] : undefined;
  throw anchorFirst ? mismatch(anchor.what, what, pos, hint) : mismatch(what, anchor.what, pos, hint);
}

/** pg_tileserv let PostgreSQL coerce quoted values; say how to write them instead. */
const QUOTED_HINTS: Partial<Record<string, string>> = {
  number: 'write numbers without quotes',
  temporal: "write DATE('YYYY-MM-DD') or TIMESTAMP('YYYY-MM-DDTHH:MM:SSZ')",
  bool: 'write TRUE or FALSE',
};

export function mismatch(left: string, right: string, pos: number, hint?: string): InvalidFilterError {
  return InvalidFilterError.near(pos, `cannot compare ${left} with ${right}`, hint);
}

/** A literal stays a literal until it meets the type it is compared with. */
export function operand(node: Value, ctx: FilterContext): Operand {
  switch (node.kind) {
    case 'property':
    case 'arithmetic':
    case 'negate':
    case 'casei':
      return { typed: typedSql(node, ctx) };
    default:
      return { literal: node };
  }
}

/** A value as typed SQL; literals get their own natural type (int4, numeric, text, ...). */
export function typedSql(node: ScalarNode, ctx: FilterContext): Typed {
  switch (node.kind) {
    case 'property': {
      const property = ctx.resolve(node);
      if (property.kind === 'geometry') throw InvalidFilterError.near(node.pos, `${property.what} is the layer's geometry; use it in a spatial function such as S_INTERSECTS`);
      if (property.type === null) throw InvalidFilterError.near(node.pos, `${property.what} can only be tested with IS NULL or IS NOT NULL`);
      return { sql: property.sql, type: property.type, what: property.what };
    }
    case 'arithmetic':
      return arithmeticSql(node, ctx);
    case 'negate': {
      const arg = numberSql(node.arg, ctx, node.pos, "'-'");
      return { sql: `(${operatorSql('-')} ${arg.sql})`, type: arg.type, what: 'an arithmetic expression' };
    }
    case 'casei': {
      const arg = typedSql(node.arg, ctx);
      if (family(arg.type) !== 'string') throw InvalidFilterError.near(node.pos, `CASEI needs text, not ${arg.what}`);
      return { sql: `pg_catalog.lower(${arg.sql})`, type: 'text', what: 'a CASEI() text' };
    }
    default:
      return naturalLiteral(node, node.pos);
  }
}

function numberSql(node: ScalarNode, ctx: FilterContext, pos: number, op: string): Typed {
  return checkNumber(typedSql(node, ctx), pos, op);
}

function checkNumber(value: Typed, pos: number, op: string): Typed {
  if (family(value.type) !== 'number') throw InvalidFilterError.near(pos, `${op} needs numbers, not ${value.what}`);
  return value;
}

/** Both operands; a number literal beside a typed value takes that value's type, as in comparisons. */
function numberOperands(node: ArithmeticNode, ctx: FilterContext, op: string): [Typed, Typed] {
  const left = operand(node.left, ctx);
  const right = operand(node.right, ctx);
  const beside = (side: Operand, other: Typed): Typed => {
    if ('typed' in side) return checkNumber(side.typed, node.pos, op);
    const literal = side.literal;
    if (literal.kind !== 'number') throw InvalidFilterError.near(node.pos, `${op} needs numbers, not ${describeLiteral(literal)}`);
    const type = numberTypeFor(literal.text, other.type);
    return { sql: typedLiteral(literal.text, type), type, what: describeLiteral(literal) };
  };
  if ('typed' in left) {
    const l = checkNumber(left.typed, node.pos, op);
    return [l, beside(right, l)];
  }
  if ('typed' in right) {
    const r = checkNumber(right.typed, node.pos, op);
    return [beside(left, r), r];
  }
  return [numberSql(node.left, ctx, node.pos, op), numberSql(node.right, ctx, node.pos, op)];
}

/**
 * + - * keep PostgreSQL's result types; '/' is true division (integers are divided as numeric),
 * `div` integer division, '%' the remainder (numeric for floats, which have no '%'), '^' float8.
 */
function arithmeticSql(node: ArithmeticNode, ctx: FilterContext): Typed {
  const op = node.op === 'div' ? "'div'" : `'${node.op}'`;
  const [left, right] = numberOperands(node, ctx, op);
  const integers = isInteger(left.type) && isInteger(right.type);
  const floats = isFloat(left.type) || isFloat(right.type);
  const binary = (l: string, symbol: string, r: string, type: SqlType): Typed => ({ sql: `(${l} ${operatorSql(symbol)} ${r})`, type, what: 'an arithmetic expression' });
  switch (node.op) {
    case '/':
      return integers ? binary(castTo(left, 'numeric'), '/', right.sql, 'numeric') : binary(left.sql, '/', right.sql, widest(left.type, right.type));
    case '%':
      return floats ? binary(castTo(left, 'numeric'), '%', castTo(right, 'numeric'), 'numeric') : binary(left.sql, '%', right.sql, widest(left.type, right.type));
    case 'div':
      if (integers) return binary(left.sql, '/', right.sql, widest(left.type, right.type));
      return { sql: `pg_catalog.div(${castTo(left, 'numeric')}, ${castTo(right, 'numeric')})`, type: 'numeric', what: 'an arithmetic expression' };
    case '^':
      return binary(castTo(left, 'float8'), '^', castTo(right, 'float8'), 'float8');
    default:
      return binary(left.sql, node.op, right.sql, widest(left.type, right.type));
  }
}

function castTo(value: Typed, type: SqlType): string {
  return value.type === type ? value.sql : pgCast(`(${value.sql})`, type);
}

/** The type PostgreSQL gives a sum of two numbers (float4 reported as float8: it only guides literals). */
function widest(a: SqlType, b: SqlType): SqlType {
  if (isFloat(a) || isFloat(b)) return 'float8';
  if (a === 'numeric' || b === 'numeric') return 'numeric';
  const order: SqlType[] = ['int2', 'int4', 'int8'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))];
}
