import { verifiedClaims } from '@app/database';
import { VerifiedTokenCache } from './verified-token-cache';

const claims = (values: Record<string, unknown>) => verifiedClaims(JSON.stringify(values), values);

describe('VerifiedTokenCache', () => {
  let nowMs = 1_000_000_000_000;
  const cache = () => new VerifiedTokenCache(30, () => nowMs);
  const exp = (secondsFromNow: number) => Math.floor(nowMs / 1000) + secondsFromNow;

  it('answers a remembered token until exp plus the clock skew, and not after', () => {
    const c = cache();
    c.remember('t', claims({ role: 'r', exp: exp(60) }), 0);
    expect(c.get('t', 0)?.values).toEqual({ role: 'r', exp: exp(60) });
    nowMs += 89_000;
    expect(c.get('t', 0)).toBeDefined();
    nowMs += 2_000;
    expect(c.get('t', 0)).toBeUndefined();
  });

  it('forgets everything verified under other keys', () => {
    const c = cache();
    c.remember('t', claims({ role: 'r', exp: exp(60) }), 1);
    expect(c.get('t', 2)).toBeUndefined();
    expect(c.get('t', 1)).toBeUndefined(); // dropped, not kept for the old generation
  });

  it('verifies a token without exp again after five minutes', () => {
    const c = cache();
    c.remember('t', claims({ role: 'r' }), 0);
    nowMs += 5 * 60 * 1000 + 1;
    expect(c.get('t', 0)).toBeUndefined();
  });

  it('returns claims nobody can change, since later requests share them', () => {
    const remembered = cache().remember('t', claims({ role: 'r', nested: { tenant: 'a' } }), 0);
    const values = remembered.values as { role: string; nested: { tenant: string } };
    expect(() => (values.role = 'postgres')).toThrow(TypeError);
    expect(() => (values.nested.tenant = 'b')).toThrow(TypeError);
    expect(() => ((remembered as { json: string }).json = '{}')).toThrow(TypeError);
  });

  it('stays bounded: long tokens are not kept, and the oldest entry goes first', () => {
    const c = cache();
    c.remember('x'.repeat(5000), claims({ role: 'r', exp: exp(60) }), 0);
    expect(c.size).toBe(0);
    for (let i = 0; i < 1001; i++) c.remember(`t${i}`, claims({ role: 'r', exp: exp(60) }), 0);
    expect(c.size).toBe(1000);
    expect(c.get('t0', 0)).toBeUndefined();
    expect(c.get('t1000', 0)).toBeDefined();
  });
});
