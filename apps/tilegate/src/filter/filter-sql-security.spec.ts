import { parseFilter } from './cql-parser';
import { filterSql } from './filter-sql';
import { PLACES, WGS84 } from './filter-test-target';
import type { FilterTarget } from './filter-context';

const sql = (text: string, target: FilterTarget = PLACES) => filterSql(parseFilter(text), target, WGS84);

/**
 * What is left of the SQL once string literals and quoted identifiers are taken out: it must be
 * made only of our own vocabulary. Request text can only ever be inside those two kinds of quotes.
 */
function skeleton(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const escaped = text[i] === 'E' && text[i + 1] === "'";
    if (text[i] === "'" || escaped) {
      i += escaped ? 2 : 1;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated literal in ${text}`);
        if (escaped && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i++;
      }
      i++;
      out += ' LIT ';
    } else if (text[i] === '"') {
      i++;
      while (!(text[i] === '"' && text[i + 1] !== '"')) {
        if (i >= text.length) throw new Error(`unterminated identifier in ${text}`);
        i += text[i] === '"' ? 2 : 1;
      }
      i++;
      out += ' ID ';
    } else {
      out += text[i++];
    }
  }
  return out;
}

const VOCABULARY = new Set(['LIT', 'ID', 't', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'ANY', 'ARRAY', 'OPERATOR', 'pg_catalog', 'lower', 'now', 'timezone', 'div', 'int2', 'int4', 'int8', 'numeric', 'float8', 'text', 'bpchar', 'bool', 'date', 'timestamp', 'timestamptz', 'uuid', 'ST_Intersects', 'ST_Equals', 'ST_Disjoint', 'ST_Touches', 'ST_Within', 'ST_Overlaps', 'ST_Crosses', 'ST_Contains', 'ST_DWithin', 'ST_Transform', 'ST_GeomFromText', 'ST_MakeValid', 'geography', '4326', '3857']);

function expectOnlyOurVocabulary(text: string): void {
  const words = skeleton(text).split(/[^A-Za-z0-9_]+/).filter((w) => w !== '');
  expect(words.filter((w) => !VOCABULARY.has(w))).toEqual([]);
  const symbols = skeleton(text).replace(/[A-Za-z0-9_\s]+/g, ' ').split(' ').filter((s) => s !== '');
  const allowed = /^(?:\(|\)|,|\.|::|\[|\]|OPERATOR|[().,[\]:=<>!~*+\-/%^]+)$/;
  expect(symbols.filter((s) => !allowed.test(s) || s.includes(';') || s.includes('--') || s.includes('/*'))).toEqual([]);
}

describe('filterSql keeps request text inside quotes', () => {
  it('escapes quotes, so a string cannot end early', () => {
    expect(sql(`name = 'O''Brien''s "Pub"; DROP TABLE places; --'`)).toBe(`t."name" OPERATOR(pg_catalog.=) 'O''Brien''s "Pub"; DROP TABLE places; --'::pg_catalog.text`);
    expect(() => sql(`name = 'x\\'; DROP TABLE t; --'`)).toThrow("filter: unexpected character ';' at character 12");
  });

  it('writes backslashes in the E-string form, safe whatever standard_conforming_strings says', () => {
    expect(sql(`name = 'a\\b\\'`)).toBe(`t."name" OPERATOR(pg_catalog.=) E'a\\\\b\\\\'::pg_catalog.text`);
    expect(sql(`name LIKE '100\\%'`)).toBe(`t."name" OPERATOR(pg_catalog.~~) E'100\\\\%'::pg_catalog.text`);
  });

  it('keeps unicode as it is', () => {
    expect(sql(`name = 'Straße 😀 Οδος'`)).toBe(`t."name" OPERATOR(pg_catalog.=) 'Straße 😀 Οδος'::pg_catalog.text`);
    const target: FilterTarget = { ...PLACES, columns: [{ name: '名前', type: 'text' }] };
    expect(sql(`名前 = 'x'`, target)).toBe(`t."名前" OPERATOR(pg_catalog.=) 'x'::pg_catalog.text`);
  });

  it('writes only the layer\'s own column names, quoted', () => {
    expect(sql(`"a""b" = 'q'`)).toBe(`t."a""b" OPERATOR(pg_catalog.=) 'q'::pg_catalog.text`);
    expect(() => sql(`"x""; DROP TABLE t; --" = 1`)).toThrow(`filter: layer public.places has no property 'x"; DROP TABLE t; --' (at character 1)`);
    const hostile: FilterTarget = { ...PLACES, columns: [{ name: 'x"); DROP TABLE t; --', type: 'int4' }] };
    expect(sql(`"x""); DROP TABLE t; --" = 1`, hostile)).toBe(`t."x""); DROP TABLE t; --" OPERATOR(pg_catalog.=) '1'::pg_catalog.int4`);
  });

  it('refuses NUL anywhere in the text', () => {
    expect(() => sql("name = 'a\u0000b'")).toThrow('filter: NUL character at character 10');
    expect(() => sql('"na\u0000me" = 1')).toThrow('filter: NUL character at character 4');
  });

  it('cannot be made to write SQL syntax of its own', () => {
    for (const text of ["name = 'x' OR 1=1 --", "name = 'x' /* */", "name = 'x'; DROP TABLE t", 'pg_sleep(10) = 1', '$$x$$ = 1', "name = 'x' UNION SELECT 1", 'id = 1::int']) {
      expect(() => sql(text)).toThrow(/^filter: /);
    }
  });

  it('writes no $n parameters and no name that could resolve through the search_path', () => {
    const corpus = [
      "pop > 1 AND name LIKE 'a%' AND CASEI(Label) = CASEI('B') AND id IN (1, 2) AND price BETWEEN 1 AND 2",
      "S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 0))) AND DWITHIN(geom, POINT(1 1), 5) AND S_WITHIN(geom, BBOX(0, 0, 1, 1))",
      "T_DURING(INTERVAL(ts, ends), INTERVAL('2020-01-01', '..')) AND day < NOW() AND seen > TIMESTAMP('2020-01-01T00:00:00+01:00')",
      'id div 2 = 1 AND area % 2 = 1 AND rank ^ 2 > 1 AND -pop < 1 AND uid IS NULL AND tags IS NOT NULL',
    ];
    for (const text of corpus) {
      const out = sql(text);
      expect(out).not.toMatch(/\$\d/);
      expectOnlyOurVocabulary(out);
    }
  });

  it('keeps hostile strings and names inside their quotes (a deterministic fuzz)', () => {
    const pieces = ["'", '"', '\\', ';', '--', '/*', '*/', '$$', '\n', 'é', '😀', ' OR 1=1', ')', '(', 'E', "\\'", 'DROP TABLE t'];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 300; round++) {
      const value = Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const column = `c${value}`;
      const target: FilterTarget = { ...PLACES, columns: [...PLACES.columns, { name: column, type: 'text' }] };
      const literal = `'${value.replace(/'/g, "''")}'`;
      const name = `"${column.replace(/"/g, '""')}"`;
      const out = sql(`${name} = ${literal} OR ${name} LIKE CASEI(${literal}) OR name IN (${literal}, 'x')`, target);
      expectOnlyOurVocabulary(out);
    }
  });
});
