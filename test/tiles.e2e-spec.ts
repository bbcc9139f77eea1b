import { gunzipSync } from 'node:zlib';
import { startServer } from './support/test-server';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { decodeTile, fetchTile } from './support/mvt';

describe('tiles, decoded', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { MaxFeaturesPerTile: 1000 }));
  const tile = (path: string, headers: Record<string, string> = {}) => fetchTile(`${ctx.server.url}/${path}`, headers);
  const names = (features: Array<{ properties: Record<string, unknown> }>) => features.map((f) => f.properties.name).sort();

  it('puts every feature of a table layer in the world tile, with ids and all properties', async () => {
    const layers = await tile('public.places/0/0/0.pbf');
    expect(Object.keys(layers)).toEqual(['public.places']);
    const features = layers['public.places'];
    expect(features.map((f) => f.id).sort()).toEqual([1, 2, 3, 4, 5]);
    const london = features.find((f) => f.id === 1)!;
    // The id column is a property too, as pg_tileserv sends it, besides the feature id.
    expect(london.properties).toEqual({ id: 1, name: 'London', kind: 'city', pop: 9000000, active: true });
    expect(london.type).toBe(1); // point
    const pub = features.find((f) => f.id === 5)!;
    expect(pub.properties.name).toBe('O\'Brien\'s "Pub"; DROP TABLE places');
  });

  it('serves .mvt as well as .pbf', async () => {
    const layers = await tile('public.places/0/0/0.mvt');
    expect(layers['public.places']).toHaveLength(5);
  });

  it('puts features in the right tiles (buffer 0)', async () => {
    expect(names((await tile('public.places/1/0/0.pbf?buffer=0'))['public.places'])).toEqual(['London', 'O\'Brien\'s "Pub"; DROP TABLE places']);
    expect(names((await tile('public.places/1/1/0.pbf?buffer=0'))['public.places'])).toEqual(['Paris']);
    expect(names((await tile('public.places/1/1/1.pbf?buffer=0'))['public.places'])).toEqual(['Wellington']);
    expect(names((await tile('public.places/1/0/1.pbf?buffer=0'))['public.places'])).toEqual(['Mid-Atlantic']);
  });

  it('includes features just outside the tile within the buffer', async () => {
    // London is 0.13 degrees west of the 1/1/0 tile edge; the default buffer (256/4096 of a tile) reaches it.
    expect(names((await tile('public.places/1/1/0.pbf'))['public.places'])).toContain('London');
  });

  it('answers an empty tile with 200 and no body', async () => {
    const response = await fetch(`${ctx.server.url}/public.places/10/0/0.pbf`);
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('keeps only the properties asked for, and always the feature id', async () => {
    const features = (await tile('public.places/0/0/0.pbf?properties=name,pop'))['public.places'];
    expect(features.find((f) => f.id === 2)!.properties).toEqual({ name: 'Paris', pop: 2100000 });
    // Names the layer lacks are left out; when none is its, or the list is empty, all are sent (pg_tileserv).
    expect((await tile('public.places/0/0/0.pbf?properties=name,nope'))['public.places'].find((f) => f.id === 2)!.properties).toEqual({ name: 'Paris' });
    for (const query of ['properties=', 'properties=nope']) {
      const all = (await tile(`public.places/0/0/0.pbf?${query}`))['public.places'];
      expect(all.find((f) => f.id === 2)!.properties).toEqual({ id: 2, name: 'Paris', kind: 'city', pop: 2100000, active: true });
    }
  });

  it('stops at limit features', async () => {
    expect((await tile('public.places/0/0/0.pbf?limit=2'))['public.places']).toHaveLength(2);
  });

  it('reprojects any SRID to web mercator', async () => {
    // Big Ben, stored in British National Grid (EPSG:27700), lies in tile 10/511/340.
    const here = (await tile('public.bng_landmarks/10/511/340.pbf?buffer=0'))['public.bng_landmarks'];
    expect(here).toEqual([{ id: 1, properties: { gid: 1, label: 'Big Ben' }, type: 1 }]);
    const elsewhere = await tile('public.bng_landmarks/10/100/100.pbf');
    expect(elsewhere['public.bng_landmarks'] ?? []).toHaveLength(0);
    const zones = (await tile('public.zones/1/0/0.pbf?buffer=0'))['public.zones'];
    expect(zones.map((f) => f.properties.label)).toEqual(['west']);
    expect(zones[0].id).toBeUndefined(); // no primary key, no feature id
  });

  it('serves views, materialized views and partitioned tables', async () => {
    expect(names((await tile('public.big_places/0/0/0.pbf'))['public.big_places'])).toEqual(['London', 'Paris']);
    expect((await tile('public.place_names/0/0/0.pbf'))['public.place_names']).toHaveLength(5);
    expect((await tile('public.events/0/0/0.pbf'))['public.events'].map((f) => f.properties.region).sort()).toEqual(['north', 'south']);
  });

  it('combines table layers into one tile, one MVT layer each', async () => {
    const layers = await tile('public.places,public.zones,public.events/0/0/0.pbf?limit=3');
    expect(Object.keys(layers).sort()).toEqual(['public.events', 'public.places', 'public.zones']);
    expect(layers['public.places']).toHaveLength(3);
    expect(layers['public.zones']).toHaveLength(2);
    expect(layers['public.events']).toHaveLength(2);
  });

  it('combines function and table layers in the order listed, as pg_tileserv', async () => {
    const layers = await tile('public.whoami,public.places/0/0/0.pbf');
    expect(Object.keys(layers)).toEqual(['public.whoami', 'public.places']);
    expect(layers['public.whoami'][0].properties.role).toBe(ctx.db.roles.anon);
    expect(layers['public.places']).toHaveLength(5);
  });

  it('calls function layers with their named arguments and defaults', async () => {
    const all = (await tile('public.named_places/0/0/0.pbf'))['public.named_places'];
    expect(all).toHaveLength(5);
    const prefixed = (await tile('public.named_places/0/0/0.pbf?prefix=Pa'))['public.named_places'];
    expect(names(prefixed)).toEqual(['Paris']);
    const limited = (await tile('public.named_places/0/0/0.pbf?max_rows=2&min_pop=1000'))['public.named_places'];
    expect(names(limited)).toEqual(['London', 'Paris']);
    const dated = (await tile('public.dated/0/0/0.pbf?day=2024-02-29'))['public.dated'];
    expect(dated[0].properties.day).toBe('2024-02-29');
  });

  it('passes quotes, semicolons and backslashes in function arguments as plain values', async () => {
    // The argument is written into the statement as an escaped literal: it must arrive intact.
    const quoted = (await tile(`public.named_places/0/0/0.pbf?prefix=${encodeURIComponent('O\'Brien\'s "Pub"; DROP')}`))['public.named_places'];
    expect(names(quoted)).toEqual(['O\'Brien\'s "Pub"; DROP TABLE places']);
    const backslash = await fetch(`${ctx.server.url}/public.named_places/0/0/0.pbf?prefix=${encodeURIComponent("\\'); SELECT 1; --")}`);
    expect(backslash.status).toBe(200);
    expect((await backslash.arrayBuffer()).byteLength).toBe(0);
  });

  it('sends the MVT content type, a strong ETag, and 304 when it matches', async () => {
    const first = await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`);
    expect(first.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const other = await fetch(`${ctx.server.url}/public.places/0/0/0.pbf?limit=1`, { headers: { 'If-None-Match': etag } });
    expect(other.status).toBe(200);
  });

  it('gzips when asked, with its own ETag', async () => {
    const plain = await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`, { headers: { 'Accept-Encoding': 'identity' } });
    const plainBytes = Buffer.from(await plain.arrayBuffer());
    // Node's fetch would decode gzip itself; ask with a raw HTTP client to see the bytes.
    const { request } = await import('node:http');
    const gz = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(`${ctx.server.url}/public.places/0/0/0.pbf`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['vary']).toContain('Accept-Encoding');
    expect(gz.headers['etag']).not.toBe(plain.headers.get('etag'));
    expect(gunzipSync(gz.body).equals(plainBytes)).toBe(true);
    expect(decodeTile(gunzipSync(gz.body))['public.places']).toHaveLength(5);
  });

  it('lets shared caches keep anonymous tiles only, and varies on Authorization', async () => {
    // With CacheTTL 0, an anonymous tile has no Cache-Control, as in pg_tileserv; a token's is private.
    const anonymous = await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`);
    expect(anonymous.headers.get('cache-control')).toBeNull();
    expect(anonymous.headers.get('vary')).toContain('Authorization');
    const member = await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`, { headers: bearer(token({ role: ctx.db.roles.member })) });
    expect(member.headers.get('cache-control')).toBe('private, no-cache');
    expect(member.headers.get('vary')).toContain('Authorization');
  });

  it('uses CacheTTL as max-age', async () => {
    const cached = await startServer(roleSwitching(ctx.db, { CacheTTL: 600 }));
    try {
      const anonymous = await fetch(`${cached.url}/public.places/0/0/0.pbf`);
      expect(anonymous.headers.get('cache-control')).toBe('public, max-age=600');
      const member = await fetch(`${cached.url}/public.places/0/0/0.pbf`, { headers: bearer(token({ role: ctx.db.roles.member })) });
      expect(member.headers.get('cache-control')).toBe('private, max-age=600');
    } finally {
      await cached.close();
    }
  });
});
