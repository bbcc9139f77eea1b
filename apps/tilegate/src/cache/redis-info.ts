/** The two figures /metrics takes from Redis' INFO. They are for the whole Redis, every namespace. */
export interface RedisMemoryInfo {
  usedMemoryBytes: number;
  evictedKeys: number;
  /** 0: no limit. */
  maxMemoryBytes: number;
  maxMemoryPolicy: string;
}

/** Reads `used_memory` and `evicted_keys` from INFO's `field:value` lines; a missing field is 0. */
export function parseRedisInfo(info: string): RedisMemoryInfo {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:(\\d+)\\s*$`, 'm').exec(info);
    return match ? Number(match[1]) : 0;
  };
  const policy = /^maxmemory_policy:(\S+)\s*$/m.exec(info)?.[1] ?? '';
  return { usedMemoryBytes: field('used_memory'), evictedKeys: field('evicted_keys'), maxMemoryBytes: field('maxmemory'), maxMemoryPolicy: policy };
}

/**
 * Whether Redis bounds what the shared level may fill: every distinct request is an entry, and
 * an invalidation leaves the old ones to their TTL, so a Redis without a limit and an evicting
 * policy grows until it refuses writes (or the machine runs out).
 */
export function boundsTheCache(info: RedisMemoryInfo): boolean {
  return info.maxMemoryBytes > 0 && info.maxMemoryPolicy !== 'noeviction' && info.maxMemoryPolicy !== '';
}
