import { MemoryLevel } from './memory-level';

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
    const level = new MemoryLevel(10_000);
    for (const key of ['k1', 'k2', 'k3']) level.set(key, ['a'], level.get(key, ['a']).generations, tile(500), null);
    level.get('k1', ['a']); // k1 is now the most recent (each tile costs 952 bytes held: 1.5 times its size, and the entry)
    for (let i = 0; i < 8; i++) level.set(`n${i}`, ['a'], level.get(`n${i}`, ['a']).generations, tile(500), null);
    expect(level.bytes).toBeLessThanOrEqual(10_000);
    expect(level.counts.evictions).toBeGreaterThan(0);
    expect(level.get('k1', ['a']).bytes).toBeDefined();
    expect(level.get('k2', ['a']).bytes).toBeUndefined();
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
});
