import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MemoryLevel } from './memory-level';
import { gzipOf } from './tile-forms';

const tile = (size: number, fill = 1) => Buffer.alloc(size, fill);

describe('MemoryLevel', () => {
  it('returns what was stored under the generations a lookup saw', () => {
    const level = new MemoryLevel(1 << 20);
    const { bytes, generations } = level.get('k', ['a']);
    expect(bytes).toBeUndefined();
    level.set('k', ['a'], generations, tile(10), null);
    expect(level.get('k', ['a']).bytes).toEqual(tile(10));
    expect(level.counts).toEqual({ hits: 1, misses: 1, evictions: 0 });
  });

  it('never returns a tile of a layer invalidated after it was stored', () => {
    const level = new MemoryLevel(1 << 20);
    level.set('k', ['a', 'b'], level.get('k', ['a', 'b']).generations, tile(10), null);
    level.set('other', ['c'], level.get('other', ['c']).generations, tile(10), null);
    level.invalidateLayers(['b']);
    expect(level.get('k', ['a', 'b']).bytes).toBeUndefined();
    expect(level.get('other', ['c']).bytes).toEqual(tile(10));
  });

  it('does not store a tile whose rendering began before an invalidation', () => {
    const level = new MemoryLevel(1 << 20);
    const seen = level.get('k', ['a']).generations;
    level.invalidateLayers(['a']);
    level.set('k', ['a'], seen, tile(10), null);
    expect(level.get('k', ['a']).bytes).toBeUndefined();
  });

  it('after clear, stores nothing rendered before it, even for layers it never saw', () => {
    const level = new MemoryLevel(1 << 20);
    const seen = level.get('k', ['new']).generations;
    level.set('held', ['a'], level.get('held', ['a']).generations, tile(10), null);
    level.clear();
    expect(level.bytes).toBe(0);
    level.set('k', ['new'], seen, tile(10), null);
    expect(level.get('k', ['new']).bytes).toBeUndefined();
    expect(level.get('held', ['a']).bytes).toBeUndefined();
  });

  it('expires entries after their TTL', () => {
    let now = 1000;
    const level = new MemoryLevel(1 << 20, () => now);
    level.set('k', ['a'], level.get('k', ['a']).generations, tile(10), 2);
    now += 1999;
    expect(level.get('k', ['a']).bytes).toBeDefined();
    now += 2;
    expect(level.get('k', ['a']).bytes).toBeUndefined();
  });

  it('evicts the least recently used entries to stay within its bytes', () => {
    const level = new MemoryLevel(16_000); // room for 11 entries of 1,426 bytes (tile, key, entry)
    for (const key of ['k1', 'k2', 'k3']) level.set(key, ['a'], level.get(key, ['a']).generations, tile(400), null);
    expect(level.bytes).toBe(3 * 1426);
    level.get('k1', ['a']); // k1 is now the most recent
    for (let i = 0; i < 9; i++) level.set(`n${i}`, ['a'], level.get(`n${i}`, ['a']).generations, tile(400), null);
    expect(level.bytes).toBeLessThanOrEqual(16_000);
    expect(level.counts.evictions).toBeGreaterThan(0);
    expect(level.get('k1', ['a']).bytes).toBeDefined();
    expect(level.get('k2', ['a']).bytes).toBeUndefined();
  });

  it('holds at most a lower limit while one is set, evicting the least recently used, and never more than its size', () => {
    const level = new MemoryLevel(16_000);
    for (const key of ['k1', 'k2', 'k3', 'k4']) level.set(key, ['a'], level.get(key, ['a']).generations, tile(400), null);
    level.get('k1', ['a']);
    level.setLimit(2 * 1426);
    expect(level.bytes).toBe(2 * 1426);
    expect(['k1', 'k2', 'k3', 'k4'].filter((key) => level.get(key, ['a']).bytes)).toEqual(['k1', 'k4']);
    level.set('k5', ['a'], level.get('k5', ['a']).generations, tile(400), null);
    expect(level.bytes).toBe(2 * 1426);
    level.setLimit(1e9);
    expect(level.limit).toBe(16_000);
  });

  it('keeps no tile larger than an eighth of its bytes', () => {
    const level = new MemoryLevel(8000);
    level.set('big', ['a'], level.get('big', ['a']).generations, tile(2000), null);
    expect(level.size).toBe(0);
  });

  it('keys are exact: the same key under other layers is another entry', () => {
    const level = new MemoryLevel(1 << 20);
    level.set('k', ['a'], level.get('k', ['a']).generations, tile(10), null);
    expect(level.get('k', ['b']).bytes).toBeUndefined();
  });

  describe('gzip forms', () => {
    // Random bytes do not compress: the gzip form is a little larger than the tile.
    const incompressible = (size: number) => randomBytes(size);
    const store = (level: MemoryLevel, key: string, bytes: Buffer) => level.set(key, ['a'], level.get(key, ['a']).generations, bytes, null);
    const settled = () => new Promise((resolve) => setImmediate(resolve));

    it("counts a held tile's gzip form from when it is made", async () => {
      const level = new MemoryLevel(1 << 20);
      const held = store(level, 'k', incompressible(5000));
      const before = level.bytes;
      const gz = await gzipOf(held);
      await settled();
      expect(level.bytes).toBe(before + gz.length);
      await gzipOf(held); // made once: counted once
      await settled();
      expect(level.bytes).toBe(before + gz.length);
    });

    it('counts a form made before the tile was stored, and evicts to fit it', async () => {
      const level = new MemoryLevel(120_000); // ten tiles fit, but not with their gzip forms
      const tiles = Array.from({ length: 10 }, () => incompressible(6000));
      await gzipOf(tiles[0]);
      for (const [i, t] of tiles.entries()) store(level, `k${i}`, t);
      await settled();
      expect(level.bytes).toBeGreaterThan(10 * 6000 + gzipSync(tiles[0]).length);
      for (const t of tiles) await gzipOf(t);
      await settled();
      expect(level.bytes).toBeLessThanOrEqual(120_000);
      expect(level.counts.evictions).toBeGreaterThan(0);
      expect(level.get('k0', ['a']).bytes).toBeUndefined(); // the least recently used went first
      expect(level.get('k9', ['a']).bytes).toBe(tiles[9]);
    });

    it('does not count the form of a tile no longer held', async () => {
      const level = new MemoryLevel(1 << 20);
      const held = store(level, 'k', incompressible(5000));
      level.clear();
      await gzipOf(held);
      await settled();
      expect(level.bytes).toBe(0);
    });

    it('holds, and returns, a copy of its own of a tile that shares memory with others', () => {
      const level = new MemoryLevel(1 << 20);
      const pooled = Buffer.from('a small tile'); // a slice of Node's shared pool
      const held = store(level, 'k', pooled);
      expect(held).not.toBe(pooled);
      expect(held.equals(pooled)).toBe(true);
      expect(level.get('k', ['a']).bytes).toBe(held);
    });

    it('leaves room for a gzip form when it judges a tile too large to keep', () => {
      const level = new MemoryLevel(80_000); // an eighth: 10,000
      expect(store(level, 'fits', incompressible(4000))).toBeDefined();
      store(level, 'too-large', incompressible(5000)); // 5,000 bytes and a form of as much
      expect(level.size).toBe(1);
    });
  });
});
