import { roleSessionSql } from './role-session.sql';

describe('roleSessionSql', () => {
  it('opens the transaction and sets role and claims, transaction-local, in one statement', () => {
    expect(roleSessionSql({ kind: 'switch', role: 'web_user', claims: { role: 'web_user', sub: 'u1', n: 3, admin: false } })).toMatchSnapshot();
  });

  it('sets empty claims for anonymous requests', () => {
    expect(roleSessionSql({ kind: 'switch', role: 'anonymous_user', claims: null })).toBe(
      "BEGIN; SELECT set_config('role', 'anonymous_user', true), set_config('request.jwt.claims', '{}', true)",
    );
  });

  it('keeps hostile role names and claim values inside literals', () => {
    const sql = roleSessionSql({ kind: 'switch', role: "x', true); DROP TABLE t; --", claims: { sub: "'; DROP TABLE t; --\\" } });
    // Strip every literal; what is left must be only our own SQL.
    const outside = sql.replace(/E?'(?:[^']|'')*'/g, "''");
    expect(outside).toBe("BEGIN; SELECT set_config('', '', true), set_config('', '', true), set_config('', '', true)");
  });

  it('makes jwt.claims.<key> settings only for safe keys and scalar values', () => {
    const sql = roleSessionSql({ kind: 'switch', role: 'r', claims: { ok_key: 'v', 'bad.key': 'v', 'bad key': 'v', nested: { a: 1 }, list: [1], nul: 'a\u0000b' } });
    expect(sql).toContain("set_config('jwt.claims.ok_key', 'v', true)");
    expect(sql).not.toMatch(/jwt\.claims\.(bad|nested|list|nul)/);
    // ...but they all stay in request.jwt.claims (NUL escaped by JSON, its backslash by the E'' literal).
    expect(sql).toContain('"bad.key":"v"');
    expect(sql).toContain('"nul":"a\\\\u0000b"');
  });
});
