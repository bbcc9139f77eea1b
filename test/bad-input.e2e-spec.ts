import { roleSwitching, serveTestDatabase } from './support/e2e-context';

/** Bad input is a 4xx that names what was wrong: never a 500, never a hang, never SQL in the body. */
describe('bad input', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { MaxFeaturesPerTile: 10000 }));

  const cases: Array<[string, number, RegExp]> = [
    ['public.places/31/0/0.pbf', 400, /z must be from 0 to 30/],
    ['public.places/2/4/0.pbf', 400, /x must be from 0 to 3 at zoom 2/],
    ['public.places/2/0/4.pbf', 400, /y must be from 0 to 3 at zoom 2/],
    ['public.places/2/0/99999999999999999999.pbf', 400, /y must be from 0 to 3/],
    // Not tile URLs at all, as pg_tileserv's router has them: 404.
    ['public.places/-1/0/0.pbf', 404, /no such route/],
    ['public.places/abc/0/0.pbf', 404, /no such route/],
    ['public.places/2/1.5/0.pbf', 404, /no such route/],
    ['public.places/2/0/0', 404, /no such route/],
    ['public.places/0/0/0.pbf?limit=99999999999999999999', 400, /parameter 'limit'/],
    ['public.places/0/0/0.pbf?limit=ten', 400, /parameter 'limit'/],
    ['public.places/0/0/0.pbf?resolution=1.5', 400, /parameter 'resolution'/],
    ['public.places/0/0/0.pbf?resolution=100000', 400, /parameter 'resolution': must be at most 65536/],
    ['public.places/0/0/0.pbf?buffer=wide', 400, /parameter 'buffer'/],
    ['public.places/0/0/0.pbf?filter=name%3D', 400, /filter: .*at character/],
    ['public.places/0/0/0.pbf?filter=nme%3D%27x%27', 400, /public\.places has no property 'nme'/],
    ['public.named_places/0/0/0.pbf?max_rows=many', 400, /parameter 'max_rows': must be a whole number/],
    ['public.named_places/0/0/0.pbf?max_rows=99999999999', 400, /parameter 'max_rows'/],
    ['public.named_places/0/0/0.pbf?min_pop=lots', 400, /parameter 'min_pop': must be a number/],
    ['public.needs_arg/0/0/0.pbf', 400, /parameter 'level': required/],
    ['public.named_places/0/0/0.pbf?prefix=a%00b', 400, /parameter 'prefix': must not contain a NUL/],
    ['public.dated/0/0/0.pbf?day=not-a-date', 400, /not accepted by the database/],
    ['public.dated/0/0/0.pbf?day=2024-02-30', 400, /not accepted by the database/],
    ['nothing/0/0/0.pbf', 404, /layer not found: nothing/],
    ["public.places'--/0/0/0.pbf", 404, /layer not found/],
    ['public.places%22%3B%20DROP%20TABLE%20places%3B--/0/0/0.pbf', 404, /layer not found/],
    ['public.places;select/0/0/0.pbf', 404, /layer not found/],
    ['..%2F..%2Fetc%2Fpasswd/0/0/0.pbf', 404, /layer not found/],
    ['../index.json', 200, /./],
    ['public.places..json', 404, /layer not found/],
    ['public.places.xml', 404, /layer not found/],
    ['%00/0/0/0.pbf', 404, /layer not found/],
    ['public.places,,public.zones/0/0/0.pbf', 404, /layer not found/],
    ['public.places/tilejson.json?x=1', 200, /./],
    ['a/b/c/d/e/f', 404, /no such route/],
  ];

  // What pg_tileserv serves, tilegate serves too: these were 400s before (issue #13).
  it.each([
    'public.places/0/0/0.pbf?limit=10001',
    'public.places/0/0/0.pbf?limit=0',
    'public.places/0/0/0.pbf?limit=-1',
    'public.places/0/0/0.pbf?limit=1&limit=2',
    'public.places/0/0/0.pbf?LIMIT=2',
    'public.places/0/0/0.pbf?resolution=1',
    'public.places/0/0/0.pbf?buffer=-5',
    'public.places/0/0/0.pbf?properties=name,secret_column',
    'public.places/0/0/0.pbf?colour=red&v=3',
    'public.places/2/0/0.png',
    'public.places/2/0/0.pbf.gz',
    'public.named_places/0/0/0.pbf?limit=3',
  ])('GET /%s -> 200, as pg_tileserv', async (path) => {
    expect((await fetch(`${ctx.server.url}/${path}`)).status).toBe(200);
  });

  it.each(cases)('GET /%s -> %i', async (path, status, message) => {
    const response = await fetch(`${ctx.server.url}/${path}`);
    const text = await response.text();
    expect(response.status).toBe(status);
    if (status >= 400) {
      const body = JSON.parse(text);
      expect(Object.keys(body).every((k) => ['code', 'message', 'details', 'hint'].includes(k))).toBe(true);
      expect(body.message).toMatch(message);
      expect(text).not.toMatch(/SELECT|ST_AsMVT|\bat \/|node_modules/);
    }
  });

  it('answers an overlong URL or header with a 4xx, not a 500', async () => {
    const longLayer = await fetch(`${ctx.server.url}/${'a'.repeat(5000)}/0/0/0.pbf`);
    expect(longLayer.status).toBeGreaterThanOrEqual(400);
    expect(longLayer.status).toBeLessThan(500);
    const hugeToken = await fetch(`${ctx.server.url}/index.json`, { headers: { Authorization: `Bearer ${'a'.repeat(1024 * 1024)}` } }).catch(() => undefined);
    if (hugeToken) expect(hugeToken.status).toBeLessThan(500);
  });

  it('still serves good requests after all of that', async () => {
    expect((await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`)).status).toBe(200);
  });
});
