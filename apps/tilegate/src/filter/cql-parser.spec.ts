import { parseFilter } from './cql-parser';

/** The AST without positions, for readable expectations. */
function shape(text: string): unknown {
  return JSON.parse(JSON.stringify(parseFilter(text), (key, value) => (key === 'pos' || key === 'quoted' ? undefined : value)));
}
const p = (name: string) => ({ kind: 'property', name });
const n = (text: string) => ({ kind: 'number', text });
const s = (value: string) => ({ kind: 'string', value });
const cmp = (op: string, left: unknown, right: unknown) => ({ kind: 'compare', op, left, right });

describe('parseFilter: Basic CQL2', () => {
  it('parses each comparison operator', () => {
    for (const op of ['=', '<>', '<', '>', '<=', '>=']) expect(shape(`a ${op} 1`)).toEqual(cmp(op, p('a'), n('1')));
  });

  it('gives NOT over AND over OR, as n-ary nodes', () => {
    expect(shape('a = 1 OR b = 2 AND NOT c = 3 OR d = 4')).toEqual({
      kind: 'or',
      args: [cmp('=', p('a'), n('1')), { kind: 'and', args: [cmp('=', p('b'), n('2')), { kind: 'not', arg: cmp('=', p('c'), n('3')) }] }, cmp('=', p('d'), n('4'))],
    });
  });

  it('reads keywords in any case', () => {
    expect(shape('a = 1 and not b is null Or c = TRUE')).toEqual(shape('a = 1 AND NOT b IS NULL OR c = true'));
  });

  it('parses IS [NOT] NULL, booleans, strings and quoted names', () => {
    expect(shape('"a b" IS NOT NULL')).toEqual({ kind: 'isNull', negated: true, value: p('a b') });
    expect(shape("x IS NULL AND flag = FALSE AND name = 'it''s'")).toEqual({
      kind: 'and',
      args: [{ kind: 'isNull', negated: false, value: p('x') }, cmp('=', p('flag'), { kind: 'boolean', value: false }), cmp('=', p('name'), s("it's"))],
    });
    expect(shape('TRUE')).toEqual({ kind: 'boolean', value: true });
  });

  it('lets a double-quoted name be a keyword', () => {
    expect(shape('"and" = 1')).toEqual(cmp('=', p('and'), n('1')));
  });

  it('parses a word as a property unless it is followed by (', () => {
    expect(shape("date > DATE('2020-01-01')")).toEqual(cmp('>', p('date'), { kind: 'date', value: '2020-01-01' }));
  });
});

describe('parseFilter: Advanced Comparison Operators and CASEI', () => {
  it('parses [NOT] LIKE, ILIKE, [NOT] BETWEEN and [NOT] IN', () => {
    expect(shape("name NOT LIKE 'a%'")).toEqual({ kind: 'like', negated: true, insensitive: false, value: p('name'), pattern: s('a%') });
    expect(shape("name ILIKE 'a%'")).toEqual({ kind: 'like', negated: false, insensitive: true, value: p('name'), pattern: s('a%') });
    expect(shape('x NOT BETWEEN 1 AND 2 AND y = 1')).toEqual({ kind: 'and', args: [{ kind: 'between', negated: true, value: p('x'), low: n('1'), high: n('2') }, cmp('=', p('y'), n('1'))] });
    expect(shape("x NOT IN ('a', 'b')")).toEqual({ kind: 'in', negated: true, value: p('x'), list: [s('a'), s('b')] });
  });

  it('parses CASEI on either side and in patterns', () => {
    expect(shape("CASEI(name) LIKE CASEI('%a%')")).toEqual({
      kind: 'like',
      negated: false,
      insensitive: false,
      value: { kind: 'casei', arg: p('name') },
      pattern: { kind: 'casei', arg: s('%a%') },
    });
  });
});

describe('parseFilter: Arithmetic Expressions', () => {
  it('gives ^ over * / % div over + -, left to right, with unary minus on operands', () => {
    const ar = (op: string, left: unknown, right: unknown) => ({ kind: 'arithmetic', op, left, right });
    expect(shape('v = - foo * 2.0 + "bar" / 6.1234 - "x" ^ 2.0')).toEqual(
      cmp('=', p('v'), ar('-', ar('+', ar('*', { kind: 'negate', arg: p('foo') }, n('2.0')), ar('/', p('bar'), n('6.1234'))), ar('^', p('x'), n('2.0')))),
    );
    expect(shape('1 = (foo div 2) AND 0 = foo % 2')).toEqual({ kind: 'and', args: [cmp('=', n('1'), ar('div', p('foo'), n('2'))), cmp('=', n('0'), ar('%', p('foo'), n('2')))] });
  });

  it('folds signs into number literals', () => {
    expect(shape('x = -1.5 OR x = +2 OR x = - -3')).toEqual({ kind: 'or', args: [cmp('=', p('x'), n('-1.5')), cmp('=', p('x'), n('2')), cmp('=', p('x'), n('3'))] });
  });

  it('tells a parenthesised value from a parenthesised condition', () => {
    expect(shape('(a + 1) > 2')).toEqual(cmp('>', { kind: 'arithmetic', op: '+', left: p('a'), right: n('1') }, n('2')));
    expect(shape('((a > 1)) AND (b)<2')).toEqual({ kind: 'and', args: [cmp('>', p('a'), n('1')), cmp('<', p('b'), n('2'))] });
    expect(shape('balance-150.0 > 0')).toEqual(cmp('>', { kind: 'arithmetic', op: '-', left: p('balance'), right: n('150.0') }, n('0')));
  });
});

describe('parseFilter: spatial', () => {
  it('parses S_ functions with WKT, dropping Z', () => {
    expect(shape('S_INTERSECTS(geom, POINT(1 -2))')).toEqual({ kind: 'spatial', op: 'intersects', args: [p('geom'), { kind: 'geometry', type: 'Point', coordinates: [1, -2] }] });
    expect(shape('S_WITHIN(POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1)), geom)')).toEqual({
      kind: 'spatial',
      op: 'within',
      args: [{ kind: 'geometry', type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, p('geom')],
    });
  });

  it('parses every WKT type, MULTIPOINT with or without inner parentheses', () => {
    const geometry = (wkt: string) => (shape(`S_INTERSECTS(g, ${wkt})`) as { args: unknown[] }).args[1];
    expect(geometry('LINESTRING(0 0, 1 1)')).toEqual({ kind: 'geometry', type: 'LineString', coordinates: [[0, 0], [1, 1]] });
    expect(geometry('MULTIPOINT((0 0), (0 9))')).toEqual({ kind: 'geometry', type: 'MultiPoint', coordinates: [[0, 0], [0, 9]] });
    expect(geometry('MULTIPOINT(0 0, 0 9)')).toEqual(geometry('MULTIPOINT((0 0), (0 9))'));
    expect(geometry('MULTILINESTRING((0 0, 1 1),(1 1, 2 2))')).toEqual({ kind: 'geometry', type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[1, 1], [2, 2]]] });
    expect(geometry('MULTIPOLYGON(((1 4, 4 1, 1 1, 1 4)))')).toEqual({ kind: 'geometry', type: 'MultiPolygon', coordinates: [[[[1, 4], [4, 1], [1, 1], [1, 4]]]] });
    expect(geometry('GEOMETRYCOLLECTION(POINT(1 5), LINESTRING(3 3, 5 5))')).toEqual({
      kind: 'geometry',
      type: 'GeometryCollection',
      geometries: [{ kind: 'geometry', type: 'Point', coordinates: [1, 5] }, { kind: 'geometry', type: 'LineString', coordinates: [[3, 3], [5, 5]] }],
    });
  });

  it('parses BBOX with 4 or 6 numbers, and ENVELOPE', () => {
    const box = { kind: 'bbox', west: -118, south: 33.8, east: -117.9, north: 34 };
    expect((shape('S_WITHIN(g, BBOX(-118,33.8,-117.9,34))') as { args: unknown[] }).args[1]).toEqual(box);
    expect((shape('S_WITHIN(g, BBOX(-118,33.8,0,-117.9,34,100))') as { args: unknown[] }).args[1]).toEqual(box);
    expect((shape('WITHIN(g, ENVELOPE(-118,33.8,-117.9,34))') as { args: unknown[] }).args[1]).toEqual(box);
  });

  it("parses pg_tileserv's unprefixed predicates and DWITHIN", () => {
    expect(shape('intersects(geom, POINT(0 0))')).toEqual(shape('S_INTERSECTS(geom, POINT(0 0))'));
    expect(shape('DWITHIN(geom, POINT(0 0), 100)')).toEqual({ kind: 'dwithin', args: [p('geom'), { kind: 'geometry', type: 'Point', coordinates: [0, 0] }], distance: n('100') });
  });
});

describe('parseFilter: temporal', () => {
  it('parses DATE, TIMESTAMP, INTERVAL and T_ functions', () => {
    expect(shape("T_DURING(INTERVAL(a, b), INTERVAL('2017-06-10T07:30:00Z', '..'))")).toEqual({
      kind: 'temporal',
      op: 'T_DURING',
      args: [
        { kind: 'interval', start: p('a'), end: p('b') },
        { kind: 'interval', start: { kind: 'timestamp', value: '2017-06-10T07:30:00', offset: 'Z' }, end: null },
      ],
    });
    expect(shape("T_BEFORE(built, DATE('2015-01-01'))")).toEqual({ kind: 'temporal', op: 'T_BEFORE', args: [p('built'), { kind: 'date', value: '2015-01-01' }] });
  });

  it("parses pg_tileserv's bare instants and NOW()", () => {
    expect(shape('t BETWEEN 2001-01-01 AND 2001-12-31T10:00')).toEqual({
      kind: 'between',
      negated: false,
      value: p('t'),
      low: { kind: 'date', value: '2001-01-01' },
      high: { kind: 'timestamp', value: '2001-12-31T10:00:00', offset: null },
    });
    expect(shape('p > NOW()')).toEqual(cmp('>', p('p'), { kind: 'now' }));
  });
});
