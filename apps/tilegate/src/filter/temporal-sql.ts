import type { ComparisonOperator, InstantNode, TemporalNode, TemporalOperand, TemporalOperator } from './cql-ast';
import { family } from './column-types';
import { FilterContext } from './filter-context';
import { InvalidFilterError } from './filter-error';
import { comparisonSql, Value } from './scalar-sql';

/** An instant is a span whose start and end are the same value. */
interface Span {
  start: Value;
  end: Value;
  instant: boolean;
}

type Bound = 's1' | 'e1' | 's2' | 'e2';
type Clause = [Bound, ComparisonOperator, Bound];

/**
 * CQL2's temporal functions (OWL-Time relations, intervals closed at both ends) as comparisons
 * of starts (s) and ends (e); each comparison is an ordinary one, so a literal takes the
 * column's type and an index on the column applies. T_DISJOINT is the one disjunction.
 */
const RELATIONS: Record<TemporalOperator, Clause[]> = {
  T_BEFORE: [['e1', '<', 's2']],
  T_AFTER: [['s1', '>', 'e2']],
  T_EQUALS: [['s1', '=', 's2'], ['e1', '=', 'e2']],
  T_INTERSECTS: [['s1', '<=', 'e2'], ['e1', '>=', 's2']],
  T_DISJOINT: [['e1', '<', 's2'], ['s1', '>', 'e2']],
  T_CONTAINS: [['s1', '<', 's2'], ['e1', '>', 'e2']],
  T_DURING: [['s1', '>', 's2'], ['e1', '<', 'e2']],
  T_FINISHEDBY: [['s1', '<', 's2'], ['e1', '=', 'e2']],
  T_FINISHES: [['s1', '>', 's2'], ['e1', '=', 'e2']],
  T_MEETS: [['e1', '=', 's2']],
  T_METBY: [['s1', '=', 'e2']],
  T_OVERLAPS: [['s1', '<', 's2'], ['e1', '>', 's2'], ['e1', '<', 'e2']],
  T_OVERLAPPEDBY: [['s1', '>', 's2'], ['s1', '<', 'e2'], ['e1', '>', 'e2']],
  T_STARTS: [['s1', '=', 's2'], ['e1', '<', 'e2']],
  T_STARTEDBY: [['s1', '=', 's2'], ['e1', '>', 'e2']],
};

/** Between two instants the functions that apply to instants are single comparisons. */
const INSTANT_RELATIONS: Partial<Record<TemporalOperator, ComparisonOperator>> = {
  T_BEFORE: '<',
  T_AFTER: '>',
  T_EQUALS: '=',
  T_INTERSECTS: '=',
  T_DISJOINT: '<>',
};

export function temporalSql(node: TemporalNode, ctx: FilterContext): string {
  const [first, second] = node.args.map((arg) => span(arg, node, ctx));
  const instantOp = INSTANT_RELATIONS[node.op];
  if (instantOp === undefined && (first.instant || second.instant)) {
    const which = first.instant ? 'first' : 'second';
    throw InvalidFilterError.near(node.args[first.instant ? 0 : 1].pos, `${node.op} compares intervals, and its ${which} argument is an instant`, 'write INTERVAL(start, end)');
  }
  if (instantOp !== undefined && first.instant && second.instant) return comparisonSql(first.start, instantOp, second.start, node.pos, ctx);
  const bounds: Record<Bound, Value> = { s1: first.start, e1: first.end, s2: second.start, e2: second.end };
  const clauses = RELATIONS[node.op].map(([a, op, b]) => comparisonSql(bounds[a], op, bounds[b], node.pos, ctx));
  return clauses.length === 1 ? clauses[0] : `(${clauses.join(node.op === 'T_DISJOINT' ? ' OR ' : ' AND ')})`;
}

function span(arg: TemporalOperand, node: TemporalNode, ctx: FilterContext): Span {
  if (arg.kind !== 'interval') {
    const value = instant(arg, node, ctx);
    return { start: value, end: value, instant: true };
  }
  return {
    start: arg.start ? instant(arg.start, node, ctx) : { kind: 'open', start: true, pos: arg.pos },
    end: arg.end ? instant(arg.end, node, ctx) : { kind: 'open', start: false, pos: arg.pos },
    instant: false,
  };
}

/** Properties here must be dates or timestamps; literals are checked by the comparisons. */
function instant(value: InstantNode, node: TemporalNode, ctx: FilterContext): InstantNode {
  if (value.kind !== 'property') return value;
  const property = ctx.resolve(value);
  if (property.kind === 'geometry' || property.type === null || family(property.type) !== 'temporal') {
    throw InvalidFilterError.near(value.pos, `${node.op} needs dates or timestamps, not ${property.what}`);
  }
  return value;
}
