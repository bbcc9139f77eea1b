import { ConfigError } from './config-error';

export type ClaimPath = Array<string | number>;

/**
 * `JwtRoleClaimKey` as PostgREST reads it: a plain key (`role`), or a path from the claims root:
 * `.realm_access.roles[0]`, `$.realm_access.roles[0]`, `$['https://example.com/claims'].role`,
 * `."https://example.com/claims".role`.
 */
export function parseClaimPath(text: string): ClaimPath {
  const source = text.trim();
  if (!source.startsWith('.') && !source.startsWith('$')) return [source];
  const path: ClaimPath = [];
  let rest = source.startsWith('$') ? source.slice(1) : source;
  const step = /^(?:\.([A-Za-z0-9_-]+)|\."((?:[^"\\]|\\.)*)"|\[(\d{1,6})\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\])/;
  while (rest.length > 0) {
    const match = step.exec(rest);
    if (!match) throw new ConfigError('JwtRoleClaimKey', `cannot read the path "${text}" at "${rest}"; write e.g. .realm_access.roles[0] or $['https://example.com/claims'].role`);
    const quoted = match[2] ?? match[4] ?? match[5];
    if (match[1] !== undefined) path.push(match[1]);
    else if (quoted !== undefined) path.push(quoted.replace(/\\(.)/g, '$1'));
    else path.push(Number(match[3]));
    rest = rest.slice(match[0].length);
  }
  if (path.length === 0) throw new ConfigError('JwtRoleClaimKey', `"${text}" names no claim`);
  return path;
}

/** The value at `path` in `claims`, or undefined; never walks into prototypes. */
export function claimAt(claims: unknown, path: ClaimPath): unknown {
  let value: unknown = claims;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[segment];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
  }
  return value;
}
