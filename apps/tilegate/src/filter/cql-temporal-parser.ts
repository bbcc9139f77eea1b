import type { DateLiteral, InstantNode, IntervalNode, TimestampLiteral, TemporalNode, TemporalOperand, TemporalOperator } from './cql-ast';
import { Cursor } from './cql-cursor';
import { InvalidFilterError, quoted } from './filter-error';
import { checkDate, checkTimestamp } from './temporal-literal';

/*
 *   temporal  = T_AFTER | T_BEFORE | ... '(' operand ',' operand ')'
 *   operand   = INTERVAL '(' end ',' end ')' | instant
 *   end       = 'YYYY-MM-DD' | 'YYYY-MM-DDTHH:MM:SS[.f]Z' | '..' | instant
 *   instant   = property | DATE(...) | TIMESTAMP(...) | NOW() | 2020-01-01 | 2020-01-01T10:00:00Z
 */

export const TEMPORAL_FUNCTIONS = new Set<string>([
  'T_AFTER',
  'T_BEFORE',
  'T_CONTAINS',
  'T_DISJOINT',
  'T_DURING',
  'T_EQUALS',
  'T_FINISHEDBY',
  'T_FINISHES',
  'T_INTERSECTS',
  'T_MEETS',
  'T_METBY',
  'T_OVERLAPPEDBY',
  'T_OVERLAPS',
  'T_STARTEDBY',
  'T_STARTS',
]);

const INSTANT_KINDS = new Set(['property', 'date', 'timestamp', 'now']);

export function parseTemporalFunction(c: Cursor, word: string): TemporalNode {
  const name = c.next();
  c.take('(');
  return c.nested(name.pos, () => {
    const first = operand(c, word);
    c.take(',', `${word} takes two arguments`);
    const second = operand(c, word);
    c.take(')', `expected ')' to close ${word}(`);
    return c.node<TemporalNode>({ kind: 'temporal', op: word as TemporalOperator, args: [first, second], pos: name.pos });
  });
}

function operand(c: Cursor, word: string): TemporalOperand {
  if (c.isWord('INTERVAL') && c.is('(', 1)) return interval(c);
  return instant(c, `${word} compares dates, timestamps, intervals or temporal properties`);
}

function instant(c: Cursor, hint: string): InstantNode {
  const start = c.peek();
  const node = c.grammar.scalar(c);
  if (!INSTANT_KINDS.has(node.kind)) throw InvalidFilterError.at(start.pos, `expected a date, a timestamp or a property, not ${describe(node.kind)}`, hint);
  return node as InstantNode;
}

function describe(kind: string): string {
  return { string: 'a string', number: 'a number', boolean: 'a boolean', arithmetic: 'an arithmetic expression' }[kind] ?? 'this';
}

function interval(c: Cursor): IntervalNode {
  const name = c.next();
  c.take('(');
  return c.nested(name.pos, () => {
    const start = end(c);
    c.take(',', 'INTERVAL takes a start and an end');
    const finish = end(c);
    c.take(')', "expected ')' to close INTERVAL(");
    return c.node<IntervalNode>({ kind: 'interval', start, end: finish, pos: name.pos });
  });
}

/** An interval's end: a quoted instant, '..' for open, or any instant. */
function end(c: Cursor): InstantNode | null {
  if (!c.is('string')) return instant(c, "an interval's ends are instants or '..'");
  const token = c.next();
  if (token.value === '..') return null;
  const date = checkDate(token.value);
  if (date !== null) return c.node<DateLiteral>({ kind: 'date', value: date, pos: token.pos });
  const timestamp = checkTimestamp(token.value);
  if (timestamp !== null) return c.node<TimestampLiteral>({ kind: 'timestamp', ...timestamp, pos: token.pos });
  throw InvalidFilterError.at(token.pos, `malformed instant ${quoted(token.value)}`, "write 'YYYY-MM-DD', 'YYYY-MM-DDTHH:MM:SSZ' or '..'");
}
