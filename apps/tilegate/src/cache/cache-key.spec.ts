import { verifiedClaims } from '@app/database';
import { cacheKey, claimsForKey, statementDigest } from './cache-key';

const claims = (json: string) => verifiedClaims(json, JSON.parse(json) as Record<string, unknown>);
const base = { statementDigest: statementDigest('SELECT 1'), privileges: ['roles', 'layer'], byClaims: true };

describe('cacheKey', () => {
  it('is the same for the same role, claims (but their lifetime) and statement', () => {
    const a = cacheKey({ ...base, role: { kind: 'switch', role: 'web', claims: claims('{"role":"web","sub":"a","exp":1,"iat":2,"jti":"x"}') } });
    const b = cacheKey({ ...base, role: { kind: 'switch', role: 'web', claims: claims('{"role":"web","sub":"a","exp":99,"iat":98,"nbf":3,"jti":"y"}') } });
    expect(a).toBe(b);
  });

  it('differs for numbers JSON.parse would make equal (one tenant must never get another\'s tile)', () => {
    const a = cacheKey({ ...base, role: { kind: 'switch', role: 'web', claims: claims('{"tenant":9007199254740993}') } });
    const b = cacheKey({ ...base, role: { kind: 'switch', role: 'web', claims: claims('{"tenant":9007199254740992}') } });
    expect(a).not.toBe(b);
  });

  it('differs by role, by statement, by privilege stamp, and between anonymous and a token', () => {
    const web = { kind: 'switch', role: 'web', claims: null } as const;
    const keys = [
      cacheKey({ ...base, role: web }),
      cacheKey({ ...base, role: { kind: 'switch', role: 'admin', claims: null } }),
      cacheKey({ ...base, role: web, statementDigest: statementDigest('SELECT 2') }),
      cacheKey({ ...base, role: web, privileges: ['roles', 'layer2'] }),
      cacheKey({ ...base, role: { kind: 'switch', role: 'web', claims: claims('{}') } }),
      cacheKey({ ...base, role: { kind: 'login' } }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('leaves claims out unless the layers are keyed by them', () => {
    const role = (sub: string) => ({ kind: 'switch', role: 'web', claims: claims(`{"sub":"${sub}"}`) }) as const;
    expect(cacheKey({ ...base, byClaims: false, role: role('a') })).toBe(cacheKey({ ...base, byClaims: false, role: role('b') }));
    expect(cacheKey({ ...base, role: role('a') })).not.toBe(cacheKey({ ...base, role: role('b') }));
  });

  it('cannot be forged by moving text between fields', () => {
    const a = cacheKey({ ...base, privileges: ['ab', 'c'], role: { kind: 'login' } });
    const b = cacheKey({ ...base, privileges: ['a', 'bc'], role: { kind: 'login' } });
    expect(a).not.toBe(b);
  });
});

describe('claimsForKey', () => {
  it('keeps nested claims as written and drops only the top-level lifetime claims', () => {
    expect(claimsForKey('{"a":{"exp":1},"exp":2, "b" : [1,2]}')).toBe('"a":{"exp":1},"b":[1,2]');
  });
});
