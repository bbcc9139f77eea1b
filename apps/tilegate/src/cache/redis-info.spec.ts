import { boundsTheCache, parseRedisInfo } from './redis-info';

describe('parseRedisInfo', () => {
  it('reads used_memory and evicted_keys, not their look-alikes', () => {
    const info = [
      '# Memory',
      'used_memory:1048576',
      'used_memory_human:1.00M',
      'used_memory_rss:9999999',
      '# Stats',
      'evicted_keys:42',
      'evicted_clients:7',
      '',
    ].join('\r\n');
    expect(parseRedisInfo(info)).toMatchObject({ usedMemoryBytes: 1048576, evictedKeys: 42 });
  });

  it('counts missing fields as 0', () => {
    expect(parseRedisInfo('# Server\r\nredis_version:7.0.15\r\n')).toEqual({ usedMemoryBytes: 0, evictedKeys: 0, maxMemoryBytes: 0, maxMemoryPolicy: '' });
  });
});

describe('boundsTheCache', () => {
  const info = (maxmemory: number, policy: string) => parseRedisInfo(`maxmemory:${maxmemory}\r\nmaxmemory_human:x\r\nmaxmemory_policy:${policy}\r\n`);
  it('asks for a memory limit and an evicting policy', () => {
    expect(boundsTheCache(info(536870912, 'allkeys-lru'))).toBe(true);
    expect(boundsTheCache(info(0, 'allkeys-lru'))).toBe(false);
    expect(boundsTheCache(info(536870912, 'noeviction'))).toBe(false);
  });
});
