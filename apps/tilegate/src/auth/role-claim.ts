import { InvalidTokenError, RoleNotPermittedError } from '@app/errors';

/** PostgreSQL truncates names beyond 63 bytes; a longer claim can only be a mistake or a probe. */
const MAX_ROLE_BYTES = 63;

/**
 * The database role a verified token asks for: the claim at `key`, or `anonRole` when the token
 * has no such claim. A claim that is not a string makes the token invalid (401); a string that
 * cannot be a role name is refused like any role the authenticator may not assume (403).
 */
export function roleFromClaims(claims: Record<string, unknown>, key: string, anonRole: string): string {
  const value = claims[key];
  if (value === undefined || value === null) return anonRole;
  if (typeof value !== 'string') throw new InvalidTokenError(`the ${key} claim must be a string`);
  if (value.length === 0 || value.includes('\u0000') || Buffer.byteLength(value, 'utf8') > MAX_ROLE_BYTES) {
    throw new RoleNotPermittedError();
  }
  return value;
}
