import type { VerifiedClaims } from '@app/database';

/** Tokens longer than this are verified every time: the cache stays small whatever clients send. */
const MAX_CACHED_TOKEN_LENGTH = 4096;
/** Distinct tokens remembered; the oldest is forgotten first. At most about 8 MB of token text. */
const MAX_ENTRIES = 1000;
/** Even a token without `exp` is verified again after this long. */
const MAX_AGE_MS = 5 * 60 * 1000;

interface Entry {
  claims: VerifiedClaims;
  validUntilMs: number;
  keysGeneration: number;
}

/**
 * Claims of tokens that verified, so a client's next requests with the same token skip the
 * signature check (a tenth of a request's CPU with HS256, more with RSA). Only successes are
 * kept; an entry ends when the token expires (`exp` plus the clock skew, exactly when jose would
 * start refusing it), after five minutes at most, and as soon as the keys change (a key removed
 * from a JWK set must stop working at once): entries carry the key generation they were verified
 * under.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clockSkewSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string, keysGeneration: number): VerifiedClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.keysGeneration !== keysGeneration || this.now() > entry.validUntilMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  /** Remembers a token that just verified under `keysGeneration`; returns its claims, frozen. */
  remember(token: string, claims: VerifiedClaims, keysGeneration: number): VerifiedClaims {
    const frozen = deepFreeze(claims);
    if (token.length > MAX_CACHED_TOKEN_LENGTH) return frozen;
    const exp = claims.values.exp;
    const expiresMs = typeof exp === 'number' ? (exp + this.clockSkewSeconds) * 1000 : Infinity;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { claims: frozen, validUntilMs: Math.min(expiresMs, this.now() + MAX_AGE_MS), keysGeneration });
    return frozen;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Claims are shared between requests once cached: nothing may change them. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
