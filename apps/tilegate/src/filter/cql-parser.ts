import type { BooleanNode, CaseiNode, ComparisonOperator, FilterAst, ScalarNode, StringLiteral } from './cql-ast';
import { Cursor, Grammar, Node } from './cql-cursor';
import { lex } from './cql-lexer';
import { parseAdditive } from './cql-scalar-parser';
import { isCondition } from './cql-words';
import { InvalidFilterError } from './filter-error';
import { FILTER_LIMITS, FilterLimits } from './filter-limits';

/*
 * The boolean half of the grammar (CQL2 BNF booleanExpression ... comparisonPredicate):
 *
 *   filter     = or END
 *   or         = and { OR and }
 *   and        = not { AND not }
 *   not        = NOT not | predicate
 *   predicate  = scalar ( compareOp scalar
 *                       | [NOT] (LIKE | ILIKE) pattern
 *                       | [NOT] BETWEEN scalar AND scalar
 *                       | [NOT] IN '(' scalar { ',' scalar } ')'
 *                       | IS [NOT] NULL )
 *              | condition                          (S_*, T_*, TRUE, FALSE, '(' or ')')
 *
 * `scalar` is the arithmetic grammar in cql-scalar-parser.ts, whose primary '(' or ')' comes back
 * here: a parenthesis holds either a condition or a value, which is how `(a + 1) > 2` and
 * `(a > 1 AND b < 2)` both parse with one token of lookahead.
 */

const COMPARISON_OPERATORS = new Set<string>(['=', '<>', '<', '>', '<=', '>=']);
const GRAMMAR: Grammar = { group: (c) => parseOr(c, true), scalar: parseAdditive };

/** CQL2 text (and pg_tileserv's dialect) to an AST; throws InvalidFilterError saying where. */
export function parseFilter(text: string, limits: FilterLimits = FILTER_LIMITS): FilterAst {
  if (typeof text !== 'string') throw new InvalidFilterError('the filter must be text');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) throw new InvalidFilterError(`the filter is ${bytes} bytes long; at most ${limits.maxBytes} are allowed`);
  const c = new Cursor(lex(text, limits), limits, GRAMMAR);
  if (c.is('end')) throw new InvalidFilterError('the filter is empty');
  const ast = parseOr(c, false) as BooleanNode;
  if (!c.is('end')) throw c.unexpected(c.peek(), 'expected AND, OR or the end of the filter');
  return ast;
}

function parseOr(c: Cursor, valueAllowed: boolean): Node {
  return parseList(c, 'OR', valueAllowed, (allowed) => parseAnd(c, allowed));
}

function parseAnd(c: Cursor, valueAllowed: boolean): Node {
  return parseList(c, 'AND', valueAllowed, (allowed) => parseNot(c, allowed));
}

/** `item { WORD item }` as one n-ary node; a lone value (inside parentheses) passes through. */
function parseList(c: Cursor, word: 'AND' | 'OR', valueAllowed: boolean, item: (valueAllowed: boolean) => Node): Node {
  const first = item(valueAllowed);
  if (!c.isWord(word) || !isCondition(first, true)) return first;
  const pos = c.peek().pos;
  const args: BooleanNode[] = [first as BooleanNode];
  while (c.isWord(word)) {
    c.next();
    args.push(item(false) as BooleanNode);
  }
  return c.node({ kind: word === 'AND' ? 'and' : 'or', args, pos });
}

function parseNot(c: Cursor, valueAllowed: boolean): Node {
  if (!c.isWord('NOT')) return parsePredicate(c, valueAllowed);
  const token = c.next();
  const arg = c.nested(token.pos, () => parseNot(c, false)) as BooleanNode;
  return c.node({ kind: 'not', arg, pos: token.pos });
}

function parsePredicate(c: Cursor, valueAllowed: boolean): Node {
  const left = parseAdditive(c);
  const negated = c.isWord('NOT') && ['LIKE', 'ILIKE', 'BETWEEN', 'IN'].some((w) => c.isWord(w, 1));
  const token = c.peek(negated ? 1 : 0);
  const word = token.upper;
  const isComparison = token.kind === 'op' && COMPARISON_OPERATORS.has(token.value);
  if (!isComparison && !['LIKE', 'ILIKE', 'BETWEEN', 'IN', 'IS'].includes(word)) {
    if (isCondition(left, true) || valueAllowed) return left;
    throw c.unexpected(token, 'expected a comparison (=, <>, <, >, <=, >=), LIKE, BETWEEN, IN or IS NULL');
  }
  if (word !== 'IS' && isCondition(left, false)) {
    throw c.unexpected(token, 'a condition cannot be compared; combine conditions with AND, OR and NOT');
  }
  if (negated) c.next();
  c.next();
  const value = left as ScalarNode;
  const pos = token.pos;
  if (isComparison) return c.node({ kind: 'compare', op: token.value as ComparisonOperator, left: value, right: operand(c), pos });
  switch (word) {
    case 'LIKE':
    case 'ILIKE':
      return c.node({ kind: 'like', negated, insensitive: word === 'ILIKE', value, pattern: likePattern(operand(c)), pos });
    case 'BETWEEN': {
      const low = operand(c);
      c.takeWord('AND', 'expected AND between the bounds of BETWEEN');
      return c.node({ kind: 'between', negated, value, low, high: operand(c), pos });
    }
    case 'IN':
      return c.node({ kind: 'in', negated, value, list: inList(c), pos });
    default: {
      const not = c.isWord('NOT');
      if (not) c.next();
      c.takeWord('NULL', 'expected NULL after IS');
      return c.node({ kind: 'isNull', negated: not, value: left, pos });
    }
  }
}

/** The right-hand side of a predicate: a value, never a condition. */
function operand(c: Cursor): ScalarNode {
  const start = c.peek();
  const node = parseAdditive(c);
  if (isCondition(node, false)) throw c.unexpected(start, 'expected a value here, not a condition');
  return node;
}

function inList(c: Cursor): ScalarNode[] {
  const open = c.take('(', "expected '(' after IN");
  return c.nested(open.pos, () => {
    const list = [operand(c)];
    while (c.is(',')) {
      c.next();
      list.push(operand(c));
    }
    c.take(')', "expected ',' or ')' in the IN list");
    return list;
  });
}

/** CQL2 patternExpression: a string literal, or CASEI of a pattern. */
function likePattern(node: ScalarNode): StringLiteral | CaseiNode {
  let inner: ScalarNode = node;
  while (inner.kind === 'casei') inner = inner.arg;
  if (inner.kind !== 'string') {
    throw InvalidFilterError.at(inner.pos, 'the pattern of LIKE must be a string literal', "e.g. name LIKE 'Lon%'");
  }
  return node as StringLiteral | CaseiNode;
}
