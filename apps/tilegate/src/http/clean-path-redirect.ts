import type { FastifyInstance } from 'fastify';
import { posix } from 'node:path';

/**
 * pg_tileserv's router answers an unclean path (`//`, `/./`, `/../`) or a trailing slash with a
 * 301 to the clean one, query kept, so maps with a stray slash in a tile URL template keep
 * working. The root of a BasePath (`/tiles/`) is served as it is.
 */
export function cleanPathRedirects(fastify: FastifyInstance, basePath: string): void {
  const root = basePath === '/' ? '/' : `${basePath}/`;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return done();
    const at = request.url.indexOf('?');
    const path = at < 0 ? request.url : request.url.slice(0, at);
    const clean = cleanPath(path);
    if (clean === path || path === root) return done();
    void reply.code(301).header('Location', `${clean}${at < 0 ? '' : request.url.slice(at)}`).header('Cache-Control', 'no-store').send();
  });
}

/** The path without empty, `.` and `..` segments and without a trailing slash ('/' stays '/'). */
export function cleanPath(path: string): string {
  if (path.length > 8192 || isCleanAlready(path)) return path;
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/**
 * Whether `path` has nothing cleanPath would change: every request passes here, and nearly all of
 * them are clean, so they skip normalizing (and its allocations). Anything unsure goes the long way.
 */
function isCleanAlready(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2f) return false;
  if (path.length > 1 && path.endsWith('/')) return false;
  return !path.includes('//') && !path.includes('/./') && !path.includes('/../') && !path.endsWith('/.') && !path.endsWith('/..');
}
