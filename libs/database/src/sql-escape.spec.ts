import { escapeIdentifier, escapeLiteral, qualifiedName } from './sql-escape';

describe('escapeIdentifier', () => {
  it('quotes and doubles embedded quotes', () => {
    expect(escapeIdentifier('places')).toBe('"places"');
    expect(escapeIdentifier('a"; DROP TABLE b; --')).toBe('"a""; DROP TABLE b; --"');
    expect(qualifiedName('my schema', 'Odd "Name"')).toBe('"my schema"."Odd ""Name"""');
  });
  it('refuses NUL', () => expect(() => escapeIdentifier('a\u0000b')).toThrow());
});

describe('escapeLiteral', () => {
  it('doubles single quotes', () => {
    expect(escapeLiteral("x', true); SET ROLE postgres; --")).toBe("'x'', true); SET ROLE postgres; --'");
  });
  it('uses E-quoting and doubles backslashes when there are any', () => {
    expect(escapeLiteral("a\\'b")).toBe("E'a\\\\''b'");
  });
  it('refuses NUL', () => expect(() => escapeLiteral('a\u0000')).toThrow());
});
