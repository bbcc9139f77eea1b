import { privilegeStampsStatement, SNAPSHOT_CHECK } from './privilege-stamps.sql';

describe('privilegeStampsStatement', () => {
  it('numbers one parameter per oid, tables then views then functions, then the remembered snapshot', () => {
    const statement = privilegeStampsStatement({ tables: [10, 11], views: [20], functions: [30] });
    expect(statement.values).toEqual([10, 11, 20, 30, null]);
    expect(statement.text).toContain('c.oid OPERATOR(pg_catalog.=) ANY (ARRAY[$1::pg_catalog.oid, $2::pg_catalog.oid])');
    expect(statement.text).toContain('(VALUES ($3::pg_catalog.oid))');
    expect(statement.text).toContain('f.oid OPERATOR(pg_catalog.=) ANY (ARRAY[$4::pg_catalog.oid])');
  });

  // Behind a transaction pooler the check lane shares server sessions with tile transactions, where
  // a tenant's code may leave its own schema first in the session's search_path: no operator of
  // these statements may be resolved through it (test/tile-cache-pooled-session.e2e-spec.ts).
  it('resolves no operator through the search_path: every comparison is pg_catalog\'s', () => {
    const texts = [privilegeStampsStatement({ tables: [1, 2], views: [3], functions: [4] }, 'x').text, SNAPSHOT_CHECK.text];
    for (const text of texts) {
      const code = text
        .replace(/--[^\n]*/g, '')
        .replace(/'[^']*'/g, "''")
        .replace(/OPERATOR\(pg_catalog\.[^)]+\)/g, '')
        // A negative number is a constant only where nothing binds tighter: -2::int8 is -(2::int8).
        .replace(/\(-\d+\)|-\d+(?= AS )/g, '0')
        .replace(/count\(\*\)|SELECT \*/g, '');
      expect({ text, bare: code.match(/\sIN\s*\(|[-+*/%^=<>!~|&#@]/g) }).toEqual({ text, bare: null });
    }
  });

  it('names a statement by its shape, so each shape is prepared once', () => {
    const a = privilegeStampsStatement({ tables: [1], views: [], functions: [] });
    const b = privilegeStampsStatement({ tables: [2], views: [], functions: [] });
    expect(a.name).toBe(b.name);
    expect(a.text).toBe(b.text);
    expect(privilegeStampsStatement({ tables: [1, 2], views: [], functions: [] }).name).not.toBe(a.name);
  });

  it('leaves out the parts nobody asked about (PostgreSQL sets up every part of a plan)', () => {
    const text = privilegeStampsStatement({ tables: [1], views: [], functions: [] }).text;
    expect(text).not.toContain('RECURSIVE');
    expect(text).not.toContain('FROM pg_catalog.pg_proc f');
    expect(text).toContain('pg_auth_members');
  });

  it.each([
    ['tables', { tables: [1], views: [], functions: [] }],
    ['views', { tables: [], views: [1], functions: [] }],
    ['functions', { tables: [], views: [], functions: [1] }],
  ])('names every column in every part, so a statement that starts with %s answers oid, stamp, row_security', (_first, asked) => {
    const parts = privilegeStampsStatement(asked).text.split('UNION ALL');
    for (const part of parts) expect(part).toMatch(/ AS oid\b[\s\S]* AS stamp\b[\s\S]* AS row_security\b/);
  });

  it('puts no value into the text: oids and the snapshot are parameters', () => {
    const statement = privilegeStampsStatement({ tables: [4242], views: [4343], functions: [4444] }, '777:778:');
    expect(statement.text).not.toMatch(/4242|4343|4444|777/);
    expect(statement.values.at(-1)).toBe('777:778:');
    expect(statement.text).toContain('pg_catalog.texteq((SELECT s FROM snapshot), $4::pg_catalog.text) IS NOT TRUE');
  });
});
