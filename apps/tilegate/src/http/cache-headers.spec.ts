import { roleCacheHeaders } from './cache-headers';
import { publicBaseUrl } from './public-url';
import type { TilegateConfig } from '@app/config';
import { verifiedClaims } from '@app/database';

describe('roleCacheHeaders', () => {
  it('is public only for requests without credentials', () => {
    expect(roleCacheHeaders({ kind: 'switch', role: 'anon', claims: null }, 60)).toEqual({ 'Cache-Control': 'public, max-age=60', Vary: 'Authorization' });
    // With a TTL of 0, no Cache-Control for anonymous answers, as pg_tileserv.
    expect(roleCacheHeaders({ kind: 'login' }, 0)).toEqual({ Vary: 'Authorization' });
    // A token without a role claim runs as the anonymous role, but its claims may change what RLS shows.
    expect(roleCacheHeaders({ kind: 'switch', role: 'anon', claims: verifiedClaims('{"sub":"x"}', { sub: 'x' }) }, 60)['Cache-Control']).toBe('private, max-age=60');
    expect(roleCacheHeaders(undefined, 0)['Cache-Control']).toBe('private, no-cache');
  });
});

describe('publicBaseUrl', () => {
  const config = (urlBase: string, basePath: string, trustForwardedHeaders = true) => ({ urlBase, basePath, trustForwardedHeaders }) as TilegateConfig;
  it('prefers UrlBase (already resolved against BasePath), then forwarded headers, then Host', () => {
    expect(publicBaseUrl(config('https://t.example/maps', '/maps'), { headers: { host: 'x', 'x-forwarded-host': 'y' } })).toBe('https://t.example/maps');
    expect(publicBaseUrl(config('', '/tiles'), { headers: { host: 'h:1', forwarded: 'for=1.2.3.4;host=maps.example;proto=https', 'x-forwarded-host': 'other' } })).toBe('https://maps.example/tiles');
    // Forwarded counts only with both host and proto, as in pg_tileserv.
    expect(publicBaseUrl(config('', '/'), { headers: { host: 'h:7800', forwarded: 'proto=https' } })).toBe('http://h:7800');
    expect(publicBaseUrl(config('', '/'), { headers: { host: 'h', forwarded: 'for=x;HOST="q.example";Proto=https, host=r' } })).toBe('https://q.example');
    expect(publicBaseUrl(config('', '/'), { headers: { host: 'x:1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'y.example' } })).toBe('https://y.example');
    expect(publicBaseUrl(config('', '/'), { headers: { host: 'localhost:7800' } })).toBe('http://localhost:7800');
  });
  it('ignores proxy headers when TrustForwardedHeaders is off', () => {
    const headers = { host: 'x:1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'y.example', forwarded: 'host=z;proto=https' };
    expect(publicBaseUrl(config('', '/', false), { headers })).toBe('http://x:1');
  });
  it('does not echo a hostile Host header into links', () => {
    expect(publicBaseUrl(config('', '/'), { headers: { host: 'evil.example/"><script>' } })).toBe('http://localhost');
  });
});
