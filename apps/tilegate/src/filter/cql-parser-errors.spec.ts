import { parseFilter } from './cql-parser';
import { InvalidFilterError } from './filter-error';
import { FILTER_LIMITS } from './filter-limits';

function failure(text: string): InvalidFilterError {
  try {
    parseFilter(text);
  } catch (err) {
    if (err instanceof InvalidFilterError) return err;
    throw err;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseFilter refuses malformed filters, saying where', () => {
  it.each([
    ["name = 'x' AND AND pop > 1", "filter: unexpected 'AND' at character 16"],
    ['pop >', 'filter: unexpected end of filter at character 6'],
    ['pop > 1 pop < 2', "filter: unexpected 'pop' at character 9"],
    ['x y', "filter: unexpected 'y' at character 3"],
    ['x == y', "filter: unexpected '=' at character 4"],
    ['a = b = c', "filter: unexpected '=' at character 7"],
    ['(a = 1', 'filter: unexpected end of filter at character 7'],
    ['a = 1)', "filter: unexpected ')' at character 6"],
    ['name', 'filter: unexpected end of filter at character 5'],
    ['name AND x = 1', "filter: unexpected 'AND' at character 6"],
    ['x = null', "filter: unexpected 'null' at character 5"],
    ['NOT x IS > 3', "filter: unexpected '>' at character 10"],
    ['x BETWEEN 1 OR 2', "filter: unexpected 'OR' at character 13"],
    ['x IN ()', "filter: unexpected ')' at character 7"],
    ['x IN (1, 2', 'filter: unexpected end of filter at character 11'],
    ['x LIKE y', 'filter: the pattern of LIKE must be a string literal at character 8'],
    ['(a = 1) = TRUE', "filter: unexpected '=' at character 9"],
    ['(a = 1) + 2 > 1', "filter: '+' needs numbers on both sides at character 9"],
    ['equals(geom, ENVELOPE(1,2,3,4)))', "filter: unexpected ')' at character 32"],
    ['equals(geom, POINT(0,0))', "filter: unexpected ',' at character 21"],
    ['S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 1)))', 'filter: a polygon ring must end where it starts at character 28'],
    ['S_INTERSECTS(geom, POLYGON((0 0, 1 0, 0 0)))', 'filter: a polygon ring needs at least 4 points at character 28'],
    ['S_INTERSECTS(geom, LINESTRING(0 0))', 'filter: a line needs at least 2 points at character 30'],
    ['S_INTERSECTS(geom, POINT EMPTY)', 'filter: empty geometries are not supported at character 26'],
    ['S_INTERSECTS(geom, GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(1 1))))', 'filter: a GEOMETRYCOLLECTION cannot contain another one at character 39'],
    ['S_INTERSECTS(geom, BBOX(1,2,3))', 'filter: expected at least 4 items here at character 24'],
    ['S_INTERSECTS(geom, BBOX(0,10,1,5))', 'filter: BBOX: south (10) is greater than north (5) at character 20'],
    ['S_INTERSECTS(geom)', "filter: unexpected ')' at character 18"],
    ['POINT(1 2) = x', 'filter: a geometry literal (POINT) can only be an argument of a spatial function at character 1'],
    ["d > DATE('2020-13-01')", "filter: malformed date '2020-13-01' at character 10"],
    ["t > TIMESTAMP('2020-01-01')", "filter: malformed timestamp '2020-01-01' at character 15"],
    ["T_BEFORE(t, 'x')", "filter: expected a date, a timestamp or a property, not a string at character 13"],
    ["T_AFTER(t, INTERVAL('2020-01-01', 'soon'))", "filter: malformed instant 'soon' at character 35"],
    ['INTERVAL(a, b) = x', 'filter: INTERVAL can only be an argument of a T_ function at character 1'],
    ['x = 1e999', "filter: number '1e999' is out of range at character 5"],
    ['avg(windSpeed) < 4', "filter: function 'avg' is not supported at character 1"],
    ["ACCENTI(etat_vol) = ACCENTI('débárquér')", 'filter: ACCENTI is not supported (accent-insensitive comparison is not implemented) at character 1'],
    ["A_CONTAINS(layer:ids, ('a','b'))", "filter: array functions such as 'A_CONTAINS' are not supported at character 1"],
    ['x ^ 2 ^ 3 > 1', "filter: unexpected '^' at character 7"],
    ['', 'filter: the filter is empty'],
    ['   ', 'filter: the filter is empty'],
  ])('%j', (text, message) => {
    expect(failure(text).message).toBe(message);
  });

  it('gives a hint with the position', () => {
    const err = failure('pop >');
    expect(err.position).toBe(6);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_filter');
    expect(err.hint).toMatch(/expected a value/);
  });

  it('refuses text over 8 KiB before reading it', () => {
    expect(failure(`x = '${'é'.repeat(4094)}'`).message).toBe('filter: the filter is 8194 bytes long; at most 8192 are allowed');
  });

  it('refuses nesting deeper than 32 levels', () => {
    expect(() => parseFilter(`${'('.repeat(32)}a = 1${')'.repeat(32)}`)).not.toThrow();
    expect(failure(`${'('.repeat(33)}a = 1${')'.repeat(33)}`).message).toBe('filter: nesting deeper than 32 levels at character 33');
    expect(failure(`${'NOT '.repeat(33)}a = 1`).message).toMatch(/nesting deeper than 32 levels/);
    expect(failure(`a = ${'-'.repeat(40)}1`).message).toMatch(/nesting deeper than 32 levels/);
  });

  it('refuses more expressions or coordinates than the limits allow', () => {
    expect(() => parseFilter(Array(700).fill('a = 1').join(' OR '))).toThrow('more than 2000 expressions');
    const limits = { ...FILTER_LIMITS, maxCoordinates: 3 };
    expect(() => parseFilter('S_INTERSECTS(g, LINESTRING(0 0, 1 1, 2 2))', limits)).not.toThrow();
    expect(() => parseFilter('S_INTERSECTS(g, LINESTRING(0 0, 1 1, 2 2, 3 3))', limits)).toThrow('filter: more than 3 coordinates at character 43');
  });
});
