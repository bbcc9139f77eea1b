/** The two figures /metrics takes from Redis' INFO. They are for the whole Redis, every namespace. */
export interface RedisMemoryInfo {
  usedMemoryBytes: number;
  evictedKeys: number;
}

/** Reads `used_memory` and `evicted_keys` from INFO's `field:value` lines; a missing field is 0. */
export function parseRedisInfo(info: string): RedisMemoryInfo {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:(\\d+)\\s*$`, 'm').exec(info);
    return match ? Number(match[1]) : 0;
  };
  return { usedMemoryBytes: field('used_memory'), evictedKeys: field('evicted_keys') };
}
