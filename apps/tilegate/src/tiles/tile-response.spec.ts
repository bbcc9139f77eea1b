import { gunzipSync } from 'node:zlib';
import { acceptsGzip, matchesEtag, tileResponse } from './tile-response';

describe('tileResponse', () => {
  const tile = Buffer.from('a tile, in bytes');
  const cache = { 'Cache-Control': 'public, no-cache', Vary: 'Authorization' };

  it('sends the tile with a strong ETag, and 304 when it matches', async () => {
    const first = await tileResponse(tile, {}, cache);
    expect(first.status).toBe(200);
    expect(first.headers.ETag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.Vary).toBe('Authorization, Accept-Encoding');
    const again = await tileResponse(tile, { ifNoneMatch: `"other", ${first.headers.ETag}` }, cache);
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('gzips for clients that accept it, under a different ETag', async () => {
    const plain = await tileResponse(tile, {}, cache);
    const gz = await tileResponse(tile, { acceptEncoding: 'br, gzip;q=0.8' }, cache);
    expect(gz.headers['Content-Encoding']).toBe('gzip');
    expect(gz.headers.ETag).not.toBe(plain.headers.ETag);
    expect(gunzipSync(gz.body).equals(tile)).toBe(true);
  });

  it('sends an empty tile as an empty 200, never gzipped', async () => {
    const empty = await tileResponse(Buffer.alloc(0), { acceptEncoding: 'gzip' }, cache);
    expect(empty.status).toBe(200);
    expect(empty.body.length).toBe(0);
    expect(empty.headers['Content-Encoding']).toBeUndefined();
  });
});

describe('acceptsGzip / matchesEtag', () => {
  it('reads Accept-Encoding with q-values', () => {
    expect(acceptsGzip('gzip, deflate')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
  it('compares ETags weakly, as GET allows', () => {
    expect(matchesEtag('W/"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('*', '"abc"')).toBe(true);
    expect(matchesEtag('"abd"', '"abc"')).toBe(false);
  });
});
