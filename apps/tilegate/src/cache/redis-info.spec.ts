import { parseRedisInfo } from './redis-info';

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
    expect(parseRedisInfo(info)).toEqual({ usedMemoryBytes: 1048576, evictedKeys: 42 });
  });

  it('counts missing fields as 0', () => {
    expect(parseRedisInfo('# Server\r\nredis_version:7.0.15\r\n')).toEqual({ usedMemoryBytes: 0, evictedKeys: 0 });
  });
});
