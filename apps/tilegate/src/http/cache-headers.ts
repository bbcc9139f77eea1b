import { isAnonymous, RequestRole } from '@app/database';

/**
 * Cache-Control and Vary for anything whose content depends on the request's role: tiles and the
 * catalog's JSON, both with CacheTTL as max-age (pg_tileserv applies CacheTTL to every answer).
 * - A request without credentials: `public, max-age=TTL`, or, with a TTL of 0, no Cache-Control at
 *   all, as pg_tileserv (with no Last-Modified, caches do not keep it: they revalidate with the ETag).
 * - A request with a token: always `private` (a shared cache must never answer one caller with
 *   another's tile), `no-cache` with a TTL of 0. This is the one difference from pg_tileserv, for
 *   a security reason: pg_tileserv has no tokens.
 * Always `Vary: Authorization`, so a cache keeps each caller's answer apart.
 */
export function roleCacheHeaders(role: RequestRole | undefined, ttlSeconds: number): Record<string, string> {
  const anonymous = isAnonymous(role);
  if (anonymous && ttlSeconds === 0) return { Vary: 'Authorization' };
  const freshness = ttlSeconds > 0 ? `max-age=${ttlSeconds}` : 'no-cache';
  return { 'Cache-Control': `${anonymous ? 'public' : 'private'}, ${freshness}`, Vary: 'Authorization' };
}
