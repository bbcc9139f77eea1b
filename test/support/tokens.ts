import { createHmac } from 'node:crypto';
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

/**
 * An HS256 token over a payload given as JSON text, signed as it is: for claims that
 * JSON.stringify would change (integers above 2^53, 1e400, long decimals).
 */
export function rawToken(payloadJson: string, secret = TEST_SECRET): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(payloadJson, 'utf8').toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
