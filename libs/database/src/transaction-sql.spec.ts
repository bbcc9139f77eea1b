import { openTransactionSql, roleSettings } from './transaction-sql';
import { verifiedClaims } from './verified-claims';

const everyKey = { settable: () => true };
const claimsOf = (json: string) => verifiedClaims(json, JSON.parse(json));

describe('openTransactionSql', () => {
  it('opens the transaction and makes every setting transaction-local, in one statement', () => {
    const settings = [['search_path', 'pg_catalog, "public"'] as const, ...roleSettings('web_user', claimsOf('{"role":"web_user","sub":"u1","n":3,"admin":false}'), everyKey, ['tid'])];
    expect(openTransactionSql(settings)).toMatchSnapshot();
  });

  it('sets empty claims for anonymous requests, and can open read-only', () => {
    expect(openTransactionSql(roleSettings('anonymous_user', null, everyKey, []), { readOnly: true })).toBe(
      "BEGIN READ ONLY; SELECT pg_catalog.set_config('request.jwt.claims', '{}', true), pg_catalog.set_config('role', 'anonymous_user', true)",
    );
  });

  it('keeps hostile role names and claim values inside literals', () => {
    const sql = openTransactionSql(roleSettings("x', true); DROP TABLE t; --", claimsOf('{"sub":"\'; DROP TABLE t; --\\\\"}'), everyKey, []));
    // Strip every literal; what is left must be only our own SQL.
    const outside = sql.replace(/E?'(?:[^']|'')*'/g, "''");
    expect(outside).toBe("BEGIN; SELECT pg_catalog.set_config('', '', true), pg_catalog.set_config('', '', true), pg_catalog.set_config('', '', true)");
  });

  it('sends the claims JSON as the token carried it, and only settable keys as jwt.claims', () => {
    const json = '{"org":9007199254740993,"nested":{"a":1}}';
    const sql = openTransactionSql(roleSettings('r', claimsOf(json), { settable: (key) => key !== 'org' }, []));
    expect(sql).toContain(`'${json}'`);
    expect(sql).not.toContain('jwt.claims.org');
  });
});
