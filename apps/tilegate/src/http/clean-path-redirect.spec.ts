import { posix } from 'node:path';
import { cleanPath } from './clean-path-redirect';

/** What cleanPath must give for any path: normalized, no trailing slash (the long way, always). */
function expected(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

describe('cleanPath', () => {
  it.each([
    ['/public.points/3/4/2.pbf', '/public.points/3/4/2.pbf'],
    ['/', '/'],
    ['/index.json/', '/index.json'],
    ['//public.points/3/4/2.pbf', '/public.points/3/4/2.pbf'],
    ['/a/./b', '/a/b'],
    ['/a/../b', '/b'],
    ['/a/.', '/a'],
    ['/a/..', '/'],
    ['/a/b//', '/a/b'],
    ['/.hidden/x', '/.hidden/x'],
    ['/a..b/c.', '/a..b/c.'],
  ])('%s -> %s', (path, clean) => {
    expect(cleanPath(path)).toBe(clean);
  });

  it('gives what normalizing gives for every path made of slashes, dots and a letter', () => {
    // Every string of up to six of these characters: the fast path may only skip work, never change an answer.
    const alphabet = ['/', '.', 'a'];
    let paths = [''];
    for (let length = 1; length <= 6; length++) {
      paths = paths.flatMap((p) => alphabet.map((c) => p + c));
      for (const path of paths) if (path.startsWith('/')) expect([path, cleanPath(path)]).toEqual([path, expected(path)]);
    }
  });
});
