import type { ArithmeticOperator, ScalarNode } from './cql-ast';
import { Cursor, Node } from './cql-cursor';
import { Token } from './cql-lexer';
import { parseSpatialFunction, SPATIAL_FUNCTIONS } from './cql-spatial-parser';
import { parseTemporalFunction, TEMPORAL_FUNCTIONS } from './cql-temporal-parser';
import { isCondition, KEYWORDS, numberLiteral, unsupportedFunction } from './cql-words';
import { InvalidFilterError, quoted } from './filter-error';
import { checkDate, checkTimestamp } from './temporal-literal';

/*
 * The arithmetic half of the grammar (CQL2 BNF arithmeticExpression and scalarExpression):
 *
 *   additive  = multiply { ('+' | '-') multiply }
 *   multiply  = power { ('*' | '/' | '%' | DIV) power }
 *   power     = unary [ '^' unary ]
 *   unary     = '-' unary | '+' number | primary
 *   primary   = number | string | TRUE | FALSE | property | "property" | date | timestamp
 *             | CASEI '(' scalar ')' | DATE '(' string ')' | TIMESTAMP '(' string ')' | NOW '(' ')'
 *             | S_* / T_* / pg_tileserv spatial functions | '(' group ')'
 */

export function parseAdditive(c: Cursor): ScalarNode {
  let left = parseMultiply(c);
  while (c.isOp('+') || c.isOp('-')) {
    const token = c.next();
    left = arithmetic(c, token, token.value as ArithmeticOperator, left, parseMultiply(c));
  }
  return left;
}

function parseMultiply(c: Cursor): ScalarNode {
  let left = parsePower(c);
  while (c.isOp('*') || c.isOp('/') || c.isOp('%') || c.isWord('DIV')) {
    const token = c.next();
    const op = token.kind === 'word' ? 'div' : (token.value as ArithmeticOperator);
    left = arithmetic(c, token, op, left, parsePower(c));
  }
  return left;
}

function parsePower(c: Cursor): ScalarNode {
  const left = parseUnary(c);
  if (!c.isOp('^')) return left;
  const token = c.next();
  return arithmetic(c, token, '^', left, parseUnary(c));
}

function arithmetic(c: Cursor, token: Token, op: ArithmeticOperator, left: ScalarNode, right: ScalarNode): ScalarNode {
  for (const side of [left, right]) {
    if (isCondition(side, true)) throw InvalidFilterError.at(token.pos, `'${op}' needs numbers on both sides`);
  }
  return c.node({ kind: 'arithmetic', op, left, right, pos: token.pos });
}

function parseUnary(c: Cursor): ScalarNode {
  if (c.isOp('+') && c.is('number', 1)) {
    c.next();
    return parsePrimary(c);
  }
  if (!c.isOp('-')) return parsePrimary(c);
  const token = c.next();
  const arg = c.nested(token.pos, () => parseUnary(c));
  if (arg.kind === 'number') return { ...arg, text: arg.text.startsWith('-') ? arg.text.slice(1) : `-${arg.text}`, pos: token.pos };
  if (isCondition(arg, true)) throw InvalidFilterError.at(token.pos, "'-' needs a number");
  return c.node({ kind: 'negate', arg, pos: token.pos });
}

function parsePrimary(c: Cursor): ScalarNode {
  const token = c.peek();
  switch (token.kind) {
    case '(':
      c.next();
      return c.nested(token.pos, () => {
        const inner = c.grammar.group(c);
        c.take(')', "expected ')'");
        return inner as ScalarNode;
      });
    case 'number':
      c.next();
      return c.node(numberLiteral(token));
    case 'string':
      c.next();
      return c.node({ kind: 'string', value: token.value, pos: token.pos });
    case 'date':
      c.next();
      return c.node({ kind: 'date', value: token.value, pos: token.pos });
    case 'timestamp': {
      c.next();
      const checked = checkTimestamp(token.value, true)!;
      return c.node({ kind: 'timestamp', ...checked, pos: token.pos });
    }
    case 'quoted':
      c.next();
      return c.node({ kind: 'property', name: token.value, quoted: true, pos: token.pos });
    case 'word':
      return parseWord(c, token);
    default:
      throw c.unexpected(token, 'expected a value: a property, a number, a string, ...');
  }
}

function parseWord(c: Cursor, token: Token): ScalarNode {
  const word = token.upper;
  if (c.is('(', 1)) return parseFunction(c, token, word) as ScalarNode;
  if (word === 'TRUE' || word === 'FALSE') {
    c.next();
    return c.node({ kind: 'boolean', value: word === 'TRUE', pos: token.pos });
  }
  if (KEYWORDS.has(word)) {
    throw c.unexpected(token, word === 'NULL' ? 'test for NULL with IS NULL or IS NOT NULL' : 'double-quote a property with this name');
  }
  c.next();
  return c.node({ kind: 'property', name: token.value, quoted: false, pos: token.pos });
}

/** A word followed by '(': one of the allow-listed functions, or a clear refusal. */
function parseFunction(c: Cursor, token: Token, word: string): Node {
  if (SPATIAL_FUNCTIONS.has(word)) return parseSpatialFunction(c, word);
  if (TEMPORAL_FUNCTIONS.has(word)) return parseTemporalFunction(c, word);
  switch (word) {
    case 'CASEI':
      return callWithArgument(c, token, () => {
        const start = c.peek();
        const arg = c.grammar.scalar(c);
        if (isCondition(arg, true)) throw c.unexpected(start, 'CASEI takes a string or a property');
        return c.node({ kind: 'casei', arg, pos: token.pos });
      });
    case 'DATE':
    case 'TIMESTAMP':
      return callWithArgument(c, token, () => instantFromString(c, word));
    case 'NOW':
      return callWithArgument(c, token, () => c.node({ kind: 'now', pos: token.pos }));
  }
  throw unsupportedFunction(token);
}

/** NAME '(' inner ')' */
function callWithArgument<T>(c: Cursor, token: Token, inner: () => T): T {
  c.next();
  c.take('(');
  return c.nested(token.pos, () => {
    const result = inner();
    c.take(')', `expected ')' to close ${token.value.toUpperCase()}(`);
    return result;
  });
}

/** DATE('YYYY-MM-DD') or TIMESTAMP('YYYY-MM-DDTHH:MM:SS[.f]Z') */
function instantFromString(c: Cursor, word: 'DATE' | 'TIMESTAMP'): ScalarNode {
  const token = c.take('string', `${word} takes a string`);
  if (word === 'DATE') {
    const value = checkDate(token.value);
    if (value === null) throw InvalidFilterError.at(token.pos, `malformed date ${quoted(token.value)}`, "dates are 'YYYY-MM-DD'");
    return c.node({ kind: 'date', value, pos: token.pos });
  }
  const checked = checkTimestamp(token.value);
  if (checked === null) throw InvalidFilterError.at(token.pos, `malformed timestamp ${quoted(token.value)}`, "timestamps are 'YYYY-MM-DDTHH:MM:SS[.fff]Z' (or with ±HH:MM)");
  return c.node({ kind: 'timestamp', ...checked, pos: token.pos });
}
