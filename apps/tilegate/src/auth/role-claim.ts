import { claimAt, JwtConfig } from '@app/config';
import { InvalidTokenError, RoleNotPermittedError } from '@app/errors';

/** PostgreSQL truncates names beyond 63 bytes; a longer claim can only be a mistake or a probe. */
const MAX_ROLE_BYTES = 63;

/**
 * The database role verified claims ask for.
 * - No value at JwtRoleClaimKey: AnonRole.
 * - With JwtRoleMap: the first of the value(s) (a string, or a list of strings such as Keycloak
 *   realm roles or Entra app roles) that the map names; none mapped is refused (403), or runs as
 *   AnonRole when JwtUnmappedRole = "anonymous".
 * - Without a map: the value itself, which must be a string.
 * A value of the wrong type makes the token invalid (401); a string that cannot be a role name is
 * refused like any role the authenticator may not become (403).
 */
export function roleFromClaims(claims: Record<string, unknown>, jwt: JwtConfig): string {
  const value = claimAt(claims, jwt.roleClaimPath);
  if (value === undefined || value === null) return jwt.anonRole;
  if (jwt.roleMap) return mappedRole(value, jwt.roleMap, jwt);
  if (typeof value !== 'string') throw new InvalidTokenError(`the ${printableKey(jwt.roleClaimKey)} claim must be a string`);
  return checkedRoleName(value);
}

function mappedRole(value: unknown, map: Record<string, string>, jwt: JwtConfig): string {
  const candidates = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  if (!candidates) throw new InvalidTokenError(`the ${printableKey(jwt.roleClaimKey)} claim must be a string or a list of strings`);
  const mapped = candidates.find((c) => Object.prototype.hasOwnProperty.call(map, c));
  if (mapped !== undefined) return checkedRoleName(map[mapped]);
  if (jwt.unmappedRole === 'anonymous') return jwt.anonRole;
  throw new RoleNotPermittedError();
}

function checkedRoleName(value: string): string {
  if (value.length === 0 || value.includes('\u0000') || Buffer.byteLength(value, 'utf8') > MAX_ROLE_BYTES) throw new RoleNotPermittedError();
  return value;
}

function printableKey(key: string): string {
  return key.replace(/["\\\r\n]/g, '').slice(0, 60);
}
