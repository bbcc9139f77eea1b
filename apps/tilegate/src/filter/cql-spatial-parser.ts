import type { BboxLiteral, DWithinNode, GeometryOperand, Position2, SpatialNode, SpatialOperator, WktGeometry } from './cql-ast';
import { Cursor } from './cql-cursor';
import { GEOMETRY_WORDS, KEYWORDS, numberLiteral, unsupportedFunction } from './cql-words';
import { InvalidFilterError } from './filter-error';

/*
 *   spatial   = (S_INTERSECTS | ... | INTERSECTS | ...) '(' geometry ',' geometry ')'
 *             | DWITHIN '(' geometry ',' geometry ',' signed-number ')'         (pg_tileserv)
 *   geometry  = property | wkt | BBOX '(' n ',' n ',' [n ','] n ',' n [',' n] ')' | ENVELOPE '(' n ',' n ',' n ',' n ')'
 *   wkt       = POINT [Z] '(' xy ')' | LINESTRING [Z] xys | POLYGON [Z] rings | MULTIPOINT [Z] '(' points ')'
 *             | MULTILINESTRING [Z] '(' xys {',' xys} ')' | MULTIPOLYGON [Z] '(' rings {',' rings} ')'
 *             | GEOMETRYCOLLECTION [Z] '(' wkt {',' wkt} ')'                   (not nested, as the BNF says)
 *   xy        = signed-number signed-number [signed-number]                   (Z is read and dropped: 2D)
 */

const OPERATORS: Record<string, SpatialOperator> = {
  INTERSECTS: 'intersects',
  EQUALS: 'equals',
  DISJOINT: 'disjoint',
  TOUCHES: 'touches',
  WITHIN: 'within',
  OVERLAPS: 'overlaps',
  CROSSES: 'crosses',
  CONTAINS: 'contains',
};

/** CQL2's S_ names and pg_tileserv's bare ones, and DWITHIN. */
export const SPATIAL_FUNCTIONS = new Set([...Object.keys(OPERATORS).flatMap((name) => [name, `S_${name}`]), 'DWITHIN']);

export function parseSpatialFunction(c: Cursor, word: string): SpatialNode | DWithinNode {
  const name = c.next();
  c.take('(');
  return c.nested(name.pos, () => {
    const first = geometryOperand(c);
    c.take(',', `${word} takes two geometries`);
    const second = geometryOperand(c);
    if (word === 'DWITHIN') {
      c.take(',', 'DWITHIN takes two geometries and a distance');
      const distance = signedNumberLiteral(c);
      c.take(')', "expected ')' to close DWITHIN(");
      return c.node<DWithinNode>({ kind: 'dwithin', args: [first, second], distance, pos: name.pos });
    }
    c.take(')', `expected ')' to close ${word}(`);
    const op = OPERATORS[word.replace(/^S_/, '')];
    return c.node<SpatialNode>({ kind: 'spatial', op, args: [first, second], pos: name.pos });
  });
}

function geometryOperand(c: Cursor): GeometryOperand {
  const token = c.peek();
  if (token.kind === 'quoted') {
    c.next();
    return c.node({ kind: 'property', name: token.value, quoted: true, pos: token.pos });
  }
  if (token.kind !== 'word') throw c.unexpected(token, 'expected a geometry property or a geometry literal');
  const word = token.upper;
  if (word === 'BBOX' || word === 'ENVELOPE') {
    if (c.is('(', 1)) return bbox(c);
  } else if (GEOMETRY_WORDS.has(word) && (c.is('(', 1) || c.isWord('Z', 1) || c.isWord('EMPTY', 1))) {
    return wkt(c, true);
  }
  if (c.is('(', 1)) throw unsupportedFunction(token);
  if (KEYWORDS.has(word)) throw c.unexpected(token, 'expected a geometry property or a geometry literal');
  c.next();
  return c.node({ kind: 'property', name: token.value, quoted: false, pos: token.pos });
}

function wkt(c: Cursor, collectionAllowed: boolean): WktGeometry {
  const tag = c.next();
  const pos = tag.pos;
  const word = tag.upper;
  if (!GEOMETRY_WORDS.has(word) || word === 'BBOX' || word === 'ENVELOPE') throw c.unexpected(tag, 'expected a geometry literal (POINT, LINESTRING, POLYGON, ...)');
  if (c.isWord('Z')) c.next();
  if (c.isWord('EMPTY')) throw InvalidFilterError.at(c.peek().pos, 'empty geometries are not supported');
  switch (word) {
    case 'POINT':
      return c.node({ kind: 'geometry', type: 'Point', coordinates: list(c, 1, 1, () => xy(c))[0], pos });
    case 'LINESTRING':
      return c.node({ kind: 'geometry', type: 'LineString', coordinates: line(c), pos });
    case 'POLYGON':
      return c.node({ kind: 'geometry', type: 'Polygon', coordinates: rings(c), pos });
    case 'MULTIPOINT':
      // The BNF wants MULTIPOINT((1 2),(3 4)); PostGIS also reads MULTIPOINT(1 2,3 4): take both.
      return c.node({ kind: 'geometry', type: 'MultiPoint', coordinates: list(c, 1, Infinity, () => (c.is('(') ? list(c, 1, 1, () => xy(c))[0] : xy(c))), pos });
    case 'MULTILINESTRING':
      return c.node({ kind: 'geometry', type: 'MultiLineString', coordinates: list(c, 1, Infinity, () => line(c)), pos });
    case 'MULTIPOLYGON':
      return c.node({ kind: 'geometry', type: 'MultiPolygon', coordinates: list(c, 1, Infinity, () => rings(c)), pos });
    default:
      if (!collectionAllowed) throw InvalidFilterError.at(pos, 'a GEOMETRYCOLLECTION cannot contain another one');
      return c.node({ kind: 'geometry', type: 'GeometryCollection', geometries: list(c, 1, Infinity, () => wkt(c, false)), pos });
  }
}

/** '(' item {',' item} ')' with between min and max items. */
function list<T>(c: Cursor, min: number, max: number, item: () => T): T[] {
  const open = c.take('(', "expected '(' in the geometry literal");
  const items = [item()];
  while (c.is(',') && items.length < max) {
    c.next();
    items.push(item());
  }
  if (items.length < min) throw InvalidFilterError.at(open.pos, `expected at least ${min} items here`);
  c.take(')', max === 1 ? "expected ')' (a coordinate is two numbers separated by a space)" : "expected ',' or ')' in the geometry literal");
  return items;
}

function line(c: Cursor): Position2[] {
  const pos = c.peek().pos;
  const points = list(c, 1, Infinity, () => xy(c));
  if (points.length < 2) throw InvalidFilterError.at(pos, 'a line needs at least 2 points');
  return points;
}

function rings(c: Cursor): Position2[][] {
  return list(c, 1, Infinity, () => {
    const pos = c.peek().pos;
    const ring = line(c);
    const [first, last] = [ring[0], ring[ring.length - 1]];
    if (ring.length < 4) throw InvalidFilterError.at(pos, 'a polygon ring needs at least 4 points');
    if (first[0] !== last[0] || first[1] !== last[1]) throw InvalidFilterError.at(pos, 'a polygon ring must end where it starts');
    return ring;
  });
}

function xy(c: Cursor): Position2 {
  const pos = c.peek().pos;
  c.coordinate(pos);
  const x = signedNumber(c);
  const y = signedNumber(c);
  if (c.is('number') || ((c.isOp('-') || c.isOp('+')) && c.is('number', 1))) signedNumber(c); // Z: dropped
  return [x, y];
}

function signedNumberLiteral(c: Cursor) {
  const pos = c.peek().pos;
  const negative = c.isOp('-');
  if (negative || c.isOp('+')) c.next();
  const token = c.take('number', 'expected a number');
  return c.node({ ...numberLiteral(token, negative), pos });
}

function signedNumber(c: Cursor): number {
  const negative = c.isOp('-');
  if (negative || c.isOp('+')) c.next();
  const token = c.take('number', 'expected a number (coordinates are numbers separated by spaces)');
  const value = Number(numberLiteral(token).text);
  return negative && value !== 0 ? -value : value;
}

/** BBOX with 4 numbers (w, s, e, n) or 6 (w, s, zmin, e, n, zmax); ENVELOPE with 4. */
function bbox(c: Cursor): BboxLiteral {
  const tag = c.next();
  const numbers = list(c, 4, 6, () => signedNumber(c));
  const envelope = tag.upper === 'ENVELOPE';
  if (numbers.length === 5 || (envelope && numbers.length !== 4)) {
    throw InvalidFilterError.at(tag.pos, envelope ? 'ENVELOPE takes 4 numbers' : 'BBOX takes 4 or 6 numbers');
  }
  const [west, south, east, north] = numbers.length === 4 ? numbers : [numbers[0], numbers[1], numbers[3], numbers[4]];
  if (south > north) throw InvalidFilterError.at(tag.pos, `${tag.value.toUpperCase()}: south (${south}) is greater than north (${north})`);
  return c.node({ kind: 'bbox', west, south, east, north, pos: tag.pos });
}
