import type { JwtConfig, TokenIssuing } from '@app/config';
import { topLevelMembers } from '@app/database';

/** Claims tilegate sets itself: the row's own values for them are replaced. */
const SET_HERE = new Set(['iat', 'exp']);

export interface IssuedPayload {
  /** The JWT payload, JSON text with the row's values as PostgreSQL wrote them (no number rounded). */
  text: string;
  /** Seconds since the epoch. */
  exp: number;
}

/**
 * The payload of a token for a sign-in function's row (its to_json text): the type's fields as
 * claims, `iat` now, `exp` the row's (a number of seconds, or a timestamp, converted) or now plus
 * JwtTokenTTL, and `iss`/`aud` from JwtIssuer and JwtAudience when set. The row's JSON is edited
 * member by member, never parsed and re-encoded: a 64-bit id stays exact.
 */
export function issuedPayload(rowJson: string, nowSeconds: number, issuing: TokenIssuing, jwt: Pick<JwtConfig, 'issuer' | 'audience'>): IssuedPayload {
  const members = topLevelMembers(rowJson);
  const rowExp = members.find(([key]) => key === 'exp')?.[1];
  const exp = expiryOf(rowExp, nowSeconds + issuing.ttlSeconds);
  const kept = members.filter(([key]) => !SET_HERE.has(key) && !(key === 'iss' && jwt.issuer) && !(key === 'aud' && jwt.audience.length > 0));
  const added: Array<[string, string]> = [
    ['iat', String(nowSeconds)],
    ['exp', String(exp)],
    ...(jwt.issuer ? ([['iss', JSON.stringify(jwt.issuer)]] as Array<[string, string]>) : []),
    ...(jwt.audience.length > 0 ? ([['aud', JSON.stringify(jwt.audience.length === 1 ? jwt.audience[0] : jwt.audience)]] as Array<[string, string]>) : []),
  ];
  const text = `{${[...kept, ...added].map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
  return { text, exp };
}

/** `exp` as the row gives it: seconds (a JSON number), a timestamp (a JSON string), or nothing. */
function expiryOf(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === 'null') return fallback;
  if (raw.startsWith('"')) {
    const ms = Date.parse(JSON.parse(raw) as string);
    if (!Number.isFinite(ms)) throw new Error(`the sign-in row's exp is not a timestamp: ${raw.slice(0, 40)}`);
    return Math.floor(ms / 1000);
  }
  const seconds = Number(raw);
  if (!Number.isFinite(seconds)) throw new Error(`the sign-in row's exp is not a number: ${raw.slice(0, 40)}`);
  return Math.floor(seconds);
}
