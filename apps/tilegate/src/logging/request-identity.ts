import { getRequestRole } from '@app/database';

/** The role a request ran as, as the auth guard decided it; undefined before the guard or without role switching. */
export function roleOfRequest(request: object): string | undefined {
  const role = getRequestRole(request);
  return role?.kind === 'switch' ? role.role : undefined;
}

/** The verified token's `sub` claim (a string, or a number as its text); undefined for anonymous requests. */
export function subOfRequest(request: object): string | undefined {
  const role = getRequestRole(request);
  const sub = role?.kind === 'switch' ? role.claims?.values.sub : undefined;
  if (typeof sub === 'string') return sub;
  if (typeof sub === 'number') return String(sub);
  return undefined;
}
