import { createHash } from 'node:crypto';
import { RequestRole, topLevelMembers } from '@app/database';

/** Claims that change with every token of the same user and cannot change what PostgreSQL answers for a tile. */
const TOKEN_LIFETIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'jti']);

export interface CacheKeyParts {
  /**
   * The tile's statement as statementDigest gives it: every layer, column, normalised parameter
   * and the tile's envelope are in the statement.
   */
  statementDigest: string;
  role: RequestRole;
  byClaims: boolean;
  /** Privilege stamps read for this request: cluster roles, then each layer's. */
  privileges: readonly string[];
}

/**
 * The cache key: a SHA-256 over everything PostgreSQL's answer depends on. The claims go in as
 * the token carried them (each top-level member's own text, never re-encoded: JSON.parse rounds
 * large numbers, and two tenants would share a key), without the lifetime claims.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash('sha256');
  const field = (text: string) => hash.update(`${text.length}:`).update(text);
  field('tilegate-tile-v2');
  if (parts.role.kind === 'login') field('login');
  else {
    field(`role:${parts.role.role}`);
    field(parts.byClaims ? claimsForKey(parts.role.claims?.json ?? null) : 'claims-not-keyed');
  }
  for (const stamp of parts.privileges) field(stamp);
  field(parts.statementDigest);
  return hash.digest('base64url');
}

/** A tile's statement, as keys hold it: its SHA-256 (a repeated request is keyed without building it again; see tiles/statement-digests.ts). */
export function statementDigest(statement: string): string {
  return createHash('sha256').update(statement).digest('base64url');
}

/** What the cache needs of a tile's statement: its digest, made when first asked for. */
export interface DigestedStatement {
  digest(): string;
}

/** The claims as written, minus exp, iat, nbf and jti; `null` for anonymous requests. */
export function claimsForKey(json: string | null): string {
  if (json === null) return 'anonymous';
  return topLevelMembers(json)
    .filter(([key]) => !TOKEN_LIFETIME_CLAIMS.has(key))
    .map(([key, raw]) => `${JSON.stringify(key)}:${raw}`)
    .join(',');
}
