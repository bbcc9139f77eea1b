import type { VerifiedClaims } from './verified-claims';

/**
 * What the auth guard decided for a request, and what RoleTransaction acts on.
 * - `login`: no JWT configured; run as the login role with no switch (pg_tileserv's behaviour).
 * - `switch`: run as `role`, with the verified `claims` (null for anonymous requests).
 */
export type RequestRole =
  | { kind: 'login' }
  | { kind: 'switch'; role: string; claims: VerifiedClaims | null };

// A symbol key, so nothing that parses request input can set it.
const REQUEST_ROLE = Symbol('tilegate.requestRole');

type Carrier = { [REQUEST_ROLE]?: RequestRole };

export function setRequestRole(request: object, role: RequestRole): void {
  (request as Carrier)[REQUEST_ROLE] = role;
}

export function getRequestRole(request: object): RequestRole | undefined {
  return (request as Carrier)[REQUEST_ROLE];
}

/** True when the request carries no credentials: only then may a response be publicly cacheable. */
export function isAnonymous(role: RequestRole | undefined): boolean {
  return role !== undefined && (role.kind === 'login' || role.claims === null);
}
