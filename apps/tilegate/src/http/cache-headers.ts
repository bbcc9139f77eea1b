import { isAnonymous, RequestRole } from '@app/database';

/**
 * Cache-Control and Vary for anything whose content depends on the request's role.
 * Only a request with no credentials may be cached by shared caches (`public`); anything made for
 * a token is `private`, and `Vary: Authorization` keeps a cache from answering one caller with
 * another's response. With a TTL of 0 caches must revalidate every time (cheap with the ETag).
 */
export function roleCacheHeaders(role: RequestRole | undefined, ttlSeconds: number): Record<string, string> {
  const scope = isAnonymous(role) ? 'public' : 'private';
  const freshness = ttlSeconds > 0 ? `max-age=${ttlSeconds}` : 'no-cache';
  return { 'Cache-Control': `${scope}, ${freshness}`, Vary: 'Authorization' };
}
