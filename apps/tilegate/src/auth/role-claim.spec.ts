import { roleFromClaims } from './role-claim';
import { describeTokenFailure } from './token-failure';

describe('roleFromClaims', () => {
  it('takes the role claim, or the anonymous role without one', () => {
    expect(roleFromClaims({ role: 'editor' }, 'role', 'anon')).toBe('editor');
    expect(roleFromClaims({ sub: 'x' }, 'role', 'anon')).toBe('anon');
    expect(roleFromClaims({ role: null }, 'role', 'anon')).toBe('anon');
    expect(roleFromClaims({ db_role: 'editor' }, 'db_role', 'anon')).toBe('editor');
  });
  it('refuses non-string claims as invalid tokens, and impossible names as forbidden', () => {
    expect(() => roleFromClaims({ role: 1 }, 'role', 'anon')).toThrow(/must be a string/);
    expect(() => roleFromClaims({ role: ['a'] }, 'role', 'anon')).toThrow(/must be a string/);
    expect(() => roleFromClaims({ role: '' }, 'role', 'anon')).toThrow(/may not be used/);
    expect(() => roleFromClaims({ role: 'é'.repeat(32) }, 'role', 'anon')).toThrow(/may not be used/);
    expect(roleFromClaims({ role: 'a'.repeat(63) }, 'role', 'anon')).toHaveLength(63);
  });
});

describe('describeTokenFailure', () => {
  it('says which check failed without echoing the library', () => {
    expect(describeTokenFailure({ name: 'TokenExpiredError', message: 'jwt expired' })).toBe('the token has expired');
    expect(describeTokenFailure({ name: 'JsonWebTokenError', message: 'jwt audience invalid. expected: secret-aud' })).toBe('the token is for another audience');
    expect(describeTokenFailure({ name: 'JsonWebTokenError', message: 'invalid signature' })).toBe('the token signature does not verify');
    expect(describeTokenFailure(undefined)).toBe('the token is malformed');
  });
});
