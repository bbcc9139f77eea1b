/**
 * The parsed filter: what the text says, before anything is checked against a layer. Every node
 * carries `pos`, the 1-based character position that errors about it point at (an operator's
 * position for comparisons, the first character for names and literals).
 */
export type FilterAst = BooleanNode;

export type BooleanNode =
  | AndOrNode
  | NotNode
  | CompareNode
  | LikeNode
  | BetweenNode
  | InNode
  | IsNullNode
  | SpatialNode
  | DWithinNode
  | TemporalNode
  | BooleanLiteral;

export type ScalarNode = PropertyNode | ArithmeticNode | NegateNode | CaseiNode | LiteralNode;

export type LiteralNode = StringLiteral | NumberLiteral | BooleanLiteral | DateLiteral | TimestampLiteral | NowNode;

export type ComparisonOperator = '=' | '<>' | '<' | '>' | '<=' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | 'div' | '^';

export interface AndOrNode {
  kind: 'and' | 'or';
  args: BooleanNode[];
  pos: number;
}
export interface NotNode {
  kind: 'not';
  arg: BooleanNode;
  pos: number;
}
export interface CompareNode {
  kind: 'compare';
  op: ComparisonOperator;
  left: ScalarNode;
  right: ScalarNode;
  pos: number;
}
export interface LikeNode {
  kind: 'like';
  negated: boolean;
  /** ILIKE (pg_tileserv): case-insensitive. */
  insensitive: boolean;
  value: ScalarNode;
  /** A string literal, or CASEI of one. */
  pattern: StringLiteral | CaseiNode;
  pos: number;
}
export interface BetweenNode {
  kind: 'between';
  negated: boolean;
  value: ScalarNode;
  low: ScalarNode;
  high: ScalarNode;
  pos: number;
}
export interface InNode {
  kind: 'in';
  negated: boolean;
  value: ScalarNode;
  list: ScalarNode[];
  pos: number;
}
export interface IsNullNode {
  kind: 'isNull';
  negated: boolean;
  value: ScalarNode | BooleanNode;
  pos: number;
}

export type SpatialOperator = 'intersects' | 'equals' | 'disjoint' | 'touches' | 'within' | 'overlaps' | 'crosses' | 'contains';
export type GeometryOperand = PropertyNode | GeometryLiteral;

export interface SpatialNode {
  kind: 'spatial';
  op: SpatialOperator;
  args: [GeometryOperand, GeometryOperand];
  pos: number;
}
/** pg_tileserv's DWITHIN(a, b, distance): distance in the units of the column's SRID (metres for geography). */
export interface DWithinNode {
  kind: 'dwithin';
  args: [GeometryOperand, GeometryOperand];
  distance: NumberLiteral;
  pos: number;
}

export type TemporalOperator =
  | 'T_AFTER'
  | 'T_BEFORE'
  | 'T_CONTAINS'
  | 'T_DISJOINT'
  | 'T_DURING'
  | 'T_EQUALS'
  | 'T_FINISHEDBY'
  | 'T_FINISHES'
  | 'T_INTERSECTS'
  | 'T_MEETS'
  | 'T_METBY'
  | 'T_OVERLAPPEDBY'
  | 'T_OVERLAPS'
  | 'T_STARTEDBY'
  | 'T_STARTS';
export type InstantNode = PropertyNode | DateLiteral | TimestampLiteral | NowNode;
export type TemporalOperand = InstantNode | IntervalNode;

export interface TemporalNode {
  kind: 'temporal';
  op: TemporalOperator;
  args: [TemporalOperand, TemporalOperand];
  pos: number;
}
/** INTERVAL(start, end), both ends included; null is an open end ('..'). */
export interface IntervalNode {
  kind: 'interval';
  start: InstantNode | null;
  end: InstantNode | null;
  pos: number;
}

export interface PropertyNode {
  kind: 'property';
  name: string;
  /** Written in double quotes: never a keyword. */
  quoted: boolean;
  pos: number;
}
export interface ArithmeticNode {
  kind: 'arithmetic';
  op: ArithmeticOperator;
  left: ScalarNode;
  right: ScalarNode;
  pos: number;
}
export interface NegateNode {
  kind: 'negate';
  arg: ScalarNode;
  pos: number;
}
export interface CaseiNode {
  kind: 'casei';
  arg: ScalarNode;
  pos: number;
}
export interface StringLiteral {
  kind: 'string';
  value: string;
  pos: number;
}
/** `text` is the number as written, with a leading '-' when negated; it matches NUMBER_TEXT. */
export interface NumberLiteral {
  kind: 'number';
  text: string;
  pos: number;
}
export interface BooleanLiteral {
  kind: 'boolean';
  value: boolean;
  pos: number;
}
/** `value` is YYYY-MM-DD, checked to be a real calendar date. */
export interface DateLiteral {
  kind: 'date';
  value: string;
  pos: number;
}
/**
 * `value` is YYYY-MM-DDTHH:MM:SS[.fraction], checked; `offset` is 'Z', '+HH:MM', '-HH:MM', or null
 * when the text had none (pg_tileserv's bare timestamps), which tilegate reads as UTC.
 */
export interface TimestampLiteral {
  kind: 'timestamp';
  value: string;
  offset: string | null;
  pos: number;
}
/** pg_tileserv's NOW(): the transaction's start time. */
export interface NowNode {
  kind: 'now';
  pos: number;
}

export type GeometryLiteral = WktGeometry | BboxLiteral;
export type Position2 = [number, number];

export type WktGeometry =
  | { kind: 'geometry'; type: 'Point'; coordinates: Position2; pos: number }
  | { kind: 'geometry'; type: 'LineString' | 'MultiPoint'; coordinates: Position2[]; pos: number }
  | { kind: 'geometry'; type: 'Polygon' | 'MultiLineString'; coordinates: Position2[][]; pos: number }
  | { kind: 'geometry'; type: 'MultiPolygon'; coordinates: Position2[][][]; pos: number }
  | { kind: 'geometry'; type: 'GeometryCollection'; geometries: WktGeometry[]; pos: number };

/** BBOX(w, s, e, n) (CQL2, elevations dropped) or ENVELOPE(w, s, e, n) (pg_tileserv). */
export interface BboxLiteral {
  kind: 'bbox';
  west: number;
  south: number;
  east: number;
  north: number;
  pos: number;
}
