import { performance } from 'node:perf_hooks';
import { parseFilter } from './cql-parser';
import { InvalidFilterError } from './filter-error';
import { filterSql } from './filter-sql';
import { FILTER_LIMITS } from './filter-limits';
import { PLACES, WGS84 } from './filter-test-target';

const KIB8 = FILTER_LIMITS.maxBytes;
/** `head + unit * n + tail`, as long as fits in 8 KiB. */
const fill = (head: string, unit: string, tail = '') => head + unit.repeat(Math.floor((KIB8 - head.length - tail.length) / Buffer.byteLength(unit))) + tail;

/** Pathological 8 KiB inputs: each must be accepted or refused in one linear pass. */
const PATHOLOGIES: Record<string, string> = {
  'deep parentheses': fill('', '(', 'a = 1'),
  'deep parentheses, closed': fill('', '(', '') ,
  'deep NOTs': fill('', 'NOT ', 'a = 1'),
  'unary minus chain': fill('a = ', '-', '1'),
  'a long number': fill('pop = ', '9'),
  'a long decimal': fill('pop = 1.', '1'),
  'a long string': fill("name = '", 'x', "'"),
  'a string of doubled quotes': fill("name = '", "''", "'"),
  'an unterminated string': fill("name = '", 'x'),
  'a long identifier': fill('', 'a', ' = 1'),
  'a long quoted identifier': fill('"', 'a', '" = 1'),
  'many ORs': fill('', 'pop = 1 OR ', 'pop = 1'),
  'many ANDs in parentheses': fill('', '(pop = 1) AND ', 'pop = 1'),
  'a long IN list': fill('pop IN (', '1,', '1)'),
  'a long arithmetic chain': fill('pop = ', '1+', '1'),
  'a long line string': fill('S_INTERSECTS(geom, LINESTRING(', '0 0,', '0 0))'),
  'many polygon rings': fill('S_INTERSECTS(geom, POLYGON(', '(0 0,1 0,1 1,0 0),', '(0 0,1 0,1 1,0 0)))'),
  'multibyte text': fill("name = '", 'é😀', "'"),
  'whitespace': fill('pop', ' ', '= 1'),
  'commas': fill('', ','),
  'bare dates': fill('day IN (', '2020-01-01,', '2020-01-01)'),
};

describe('filter limits', () => {
  it.each(Object.entries(PATHOLOGIES))('answers %s (8 KiB) in well under 50 ms', (_name, text) => {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(KIB8);
    expect(Buffer.byteLength(text)).toBeGreaterThan(KIB8 - 20);
    const run = () => {
      try {
        filterSql(parseFilter(text), PLACES, WGS84);
      } catch (err) {
        if (!(err instanceof InvalidFilterError)) throw err;
      }
    };
    run(); // warm up
    const times = [0, 1, 2, 3, 4].map(() => {
      const start = performance.now();
      run();
      return performance.now() - start;
    });
    // Timing is only asserted here, for this guard: the median of five runs, with room for slow CI.
    expect(times.sort((a, b) => a - b)[2]).toBeLessThan(50);
  });

  it('refuses the deep and the many with the limit that stopped them', () => {
    const refusal = (text: string) => {
      try {
        filterSql(parseFilter(text), PLACES, WGS84);
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(refusal(PATHOLOGIES['deep parentheses'])).toBe('filter: nesting deeper than 32 levels at character 33');
    expect(refusal(PATHOLOGIES['many ORs'])).toMatch(/^filter: more than 2000 expressions at character \d+$/);
    expect(refusal(PATHOLOGIES['a long IN list'])).toMatch(/^filter: more than 2000 expressions/);
    expect(refusal(PATHOLOGIES['a long number'])).toMatch(/^filter: number '9{40}…' is out of range at character 7$/);
    expect(refusal(PATHOLOGIES['a long string'])).toBe('accepted');
    expect(refusal(PATHOLOGIES['a long line string'])).toBe('accepted');
    expect(refusal(`${PATHOLOGIES['a long string']} `)).toMatch(/^filter: the filter is 8193 bytes long/);
  });
});
