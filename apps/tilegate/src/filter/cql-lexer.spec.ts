import { lex, Token } from './cql-lexer';
import { FILTER_LIMITS } from './filter-limits';

const tokens = (text: string) => lex(text, FILTER_LIMITS).map((t: Token) => [t.kind, t.value, t.pos]);
const kinds = (text: string) => lex(text, FILTER_LIMITS).map((t) => `${t.kind}:${t.value}`);

describe('lex', () => {
  it('splits a comparison into tokens with 1-based positions', () => {
    expect(tokens("pop >= 10 AND name <> 'x'")).toEqual([
      ['word', 'pop', 1],
      ['op', '>=', 5],
      ['number', '10', 8],
      ['word', 'AND', 11],
      ['word', 'name', 15],
      ['op', '<>', 20],
      ['string', 'x', 23],
      ['end', '', 26],
    ]);
  });

  it('reads every CQL2 number form, unsigned (the sign is the parser\'s)', () => {
    expect(kinds('1 1.5 .5 1. 2E-3 2e+3 7E2 -4')).toEqual(['number:1', 'number:1.5', 'number:.5', 'number:1.', 'number:2E-3', 'number:2e+3', 'number:7E2', 'op:-', 'number:4', 'end:']);
  });

  it('refuses numbers run into letters', () => {
    expect(() => tokens('x > 10y')).toThrow("filter: malformed number '10y' at character 5");
    expect(() => tokens('x > 1.2.3')).toThrow('malformed number');
  });

  it('reads quoted strings with doubled quotes as quotes, and backslashes as themselves', () => {
    expect(tokens("'it''s' 'C:\\dir\\' ''")).toEqual([
      ['string', "it's", 1],
      ['string', 'C:\\dir\\', 9],
      ['string', '', 19],
      ['end', '', 21],
    ]);
  });

  it('reads double-quoted property names, "" being a quote inside', () => {
    expect(tokens('"a ""b"" c" "x y"')).toEqual([
      ['quoted', 'a "b" c', 1],
      ['quoted', 'x y', 13],
      ['end', '', 18],
    ]);
    expect(() => tokens('"" = 1')).toThrow('empty property name');
  });

  it('reads CQL2 identifiers: colons, dots, underscores, unicode letters; and $ as pg_tileserv does', () => {
    expect(kinds('eo:cloud_cover landsat:wrs_path a.b _x straße Οδος x$1')).toEqual([
      'word:eo:cloud_cover',
      'word:landsat:wrs_path',
      'word:a.b',
      'word:_x',
      'word:straße',
      'word:Οδος',
      'word:x$1',
      'end:',
    ]);
  });

  it('counts positions in characters, not UTF-16 units', () => {
    expect(tokens("'😀😀' = x")).toEqual([
      ['string', '😀😀', 1],
      ['op', '=', 6],
      ['word', 'x', 8],
      ['end', '', 9],
    ]);
  });

  it("reads pg_tileserv's bare dates and timestamps as single tokens", () => {
    expect(kinds('2020-01-01 2020-01-01T10:00 2020-01-01T10:00:00Z 2001-01-01T10:23:45.5+02:00')).toEqual([
      'date:2020-01-01',
      'timestamp:2020-01-01T10:00',
      'timestamp:2020-01-01T10:00:00Z',
      'timestamp:2001-01-01T10:23:45.5+02:00',
      'end:',
    ]);
    expect(kinds('2020 - 01 - 01')).toEqual(['number:2020', 'op:-', 'number:01', 'op:-', 'number:01', 'end:']);
  });

  it('refuses malformed bare dates rather than read them as subtraction', () => {
    expect(() => tokens('p > 2000-01')).toThrow("filter: malformed date '2000-01' at character 5");
    expect(() => tokens('p > 2000-02-30')).toThrow('malformed date');
    expect(() => tokens('p > 2000-01-01T01')).toThrow('malformed');
    expect(() => tokens('p > 2000-01-01T25:00')).toThrow('malformed timestamp');
  });

  it('skips the BNF whitespace, including no-break and ideographic spaces', () => {
    expect(kinds('a\u00a0=\u3000\t\r\n1')).toEqual(['word:a', 'op:=', 'number:1', 'end:']);
  });

  it('refuses NUL, lone surrogates and characters outside the grammar, saying where', () => {
    expect(() => tokens('a = \u0000')).toThrow('filter: NUL character at character 5');
    expect(() => tokens("a = 'x\u0000'")).toThrow('filter: NUL character at character 7');
    expect(() => tokens('a = "\ud800"')).toThrow('unpaired surrogate');
    expect(() => tokens('a != 1')).toThrow("filter: unexpected character '!' at character 3");
    expect(() => tokens('a = 1; DROP TABLE x')).toThrow("unexpected character ';' at character 6");
  });

  it('refuses unterminated strings and names at their opening quote', () => {
    expect(() => tokens("name = 'abc")).toThrow('filter: unterminated string at character 8');
    expect(() => tokens('"name = 1')).toThrow('filter: unterminated quoted property name at character 1');
    expect(() => tokens("x = 'it\\'s'")).toThrow('filter: unterminated string at character 11');
  });

  it('stops at the token limit', () => {
    expect(() => lex('a '.repeat(20), { ...FILTER_LIMITS, maxTokens: 10 })).toThrow('more than 10 tokens');
  });
});
