import { sign, SignOptions } from 'jsonwebtoken';

export const TEST_SECRET = 'a-test-secret-that-is-long-enough-for-hs256!';

/** A real HS256 (or other) token over `claims`, valid for an hour unless the claims say otherwise. */
export function token(claims: Record<string, unknown>, options: SignOptions = {}, secret = TEST_SECRET): string {
  const hasExp = 'exp' in claims;
  return sign(claims, secret, { algorithm: 'HS256', ...(hasExp ? {} : { expiresIn: '1h' }), ...options });
}

export function bearer(jwt: string): Record<string, string> {
  return { Authorization: `Bearer ${jwt}` };
}
