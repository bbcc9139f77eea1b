import { gunzipSync } from 'node:zlib';
import { gzipOf, hashOf, onGzipForm } from './tile-forms';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('tile forms', () => {
  it('makes the hash and the gzip form once per Buffer', async () => {
    const tile = Buffer.from('a tile, in bytes');
    expect(hashOf(tile)).toBe(hashOf(tile));
    expect(hashOf(tile)).not.toBe(hashOf(Buffer.from('another tile')));
    const first = gzipOf(tile);
    expect(gzipOf(tile)).toBe(first);
    expect(gunzipSync(await first).equals(tile)).toBe(true);
  });

  it("tells a listener the gzip form's size once, whether it was made before or after", async () => {
    const before = Buffer.from('made before the listener came');
    const gz = await gzipOf(before);
    const after = Buffer.from('made after the listener came');
    const heard: Array<[string, number]> = [];
    onGzipForm(before, (n) => heard.push(['before', n]));
    onGzipForm(after, (n) => heard.push(['after', n]));
    await settled();
    expect(heard).toEqual([['before', gz.length]]);
    const made = await gzipOf(after);
    await gzipOf(after);
    await settled();
    expect(heard).toEqual([['before', gz.length], ['after', made.length]]);
  });

  it('tells a listener that came while the form was being made, once', async () => {
    const tile = Buffer.from('being gzipped');
    const pending = gzipOf(tile);
    const heard: number[] = [];
    onGzipForm(tile, (n) => heard.push(n));
    const gz = await pending;
    await settled();
    expect(heard).toEqual([gz.length]);
  });

  it('does not keep a gzip that failed: the next request tries again, and the listener hears of the one that succeeds', async () => {
    const tile = Buffer.from('zlib ran out of memory the first time');
    const heard: number[] = [];
    onGzipForm(tile, (n) => heard.push(n));
    const failing = () => Promise.reject(new Error('zlib: out of memory'));
    await expect(gzipOf(tile, failing)).rejects.toThrow('zlib: out of memory');
    await settled();
    expect(heard).toEqual([]);
    const gz = await gzipOf(tile);
    expect(gunzipSync(gz).equals(tile)).toBe(true);
    await settled();
    expect(heard).toEqual([gz.length]);
    expect(gzipOf(tile)).toBe(gzipOf(tile));
  });
});
