import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { TileCache } from '../cache/tile-cache.service';
import { HttpMetrics } from './http-metrics';

type Level = 'memory' | 'shared';

/**
 * The tile cache's counts per level (memory, shared = Redis), read from the cache when Prometheus
 * scrapes: counters move by what changed since the last scrape.
 */
@Injectable()
export class CacheMetrics {
  constructor(metrics: HttpMetrics, cache: TileCache) {
    const registers = [metrics.registry];
    const levels = (): Partial<Record<Level, { hits: number; misses: number; evictions: number; bytes: number }>> => {
      const memory = cache.memoryLevel;
      const shared = cache.sharedStats();
      return {
        ...(memory ? { memory: { ...memory.counts, bytes: memory.bytes } } : {}),
        ...(shared ? { shared } : {}),
      };
    };
    const counter = (name: string, help: string, field: 'hits' | 'misses' | 'evictions') => {
      const seen: Partial<Record<Level, number>> = {};
      new Counter({
        name,
        help,
        labelNames: ['level'] as const,
        registers,
        collect() {
          for (const [level, counts] of Object.entries(levels()) as Array<[Level, Record<string, number>]>) {
            this.inc({ level }, Math.max(0, counts[field] - (seen[level] ?? 0)));
            seen[level] = counts[field];
          }
        },
      });
    };
    counter('tilegate_tile_cache_hits_total', 'Tiles served from the cache, by level', 'hits');
    counter('tilegate_tile_cache_misses_total', 'Cache lookups that found nothing, by level', 'misses');
    counter('tilegate_tile_cache_evictions_total', 'Tiles evicted to stay within the size, by level (shared: Redis evicted_keys)', 'evictions');
    new Gauge({
      name: 'tilegate_tile_cache_bytes',
      help: 'Bytes held by the cache, by level (shared: Redis used_memory)',
      labelNames: ['level'] as const,
      registers,
      collect() {
        for (const [level, counts] of Object.entries(levels())) this.set({ level }, counts.bytes);
      },
    });
    new Gauge({
      name: 'tilegate_tile_cache_limit_bytes',
      help: 'What the memory level may hold now: TileCacheSize, or less while the process needs the memory to stay within TileCacheSize + 150 MB',
      registers,
      collect() {
        const memory = cache.memoryLevel;
        if (memory) this.set(memory.limit);
      },
    });
    let rejectedSeen = 0;
    new Counter({
      name: 'tilegate_tile_cache_rejected_total',
      help: 'Redis entries that failed their seal check (another RedisSecret, or changed in Redis), each rendered instead',
      registers,
      collect() {
        const rejected = cache.sharedStats()?.rejected ?? rejectedSeen;
        this.inc(Math.max(0, rejected - rejectedSeen));
        rejectedSeen = rejected;
      },
    });
    let uncachedSeen = 0;
    new Counter({
      name: 'tilegate_tile_cache_uncached_total',
      help: 'Tiles rendered without the cache (Tilegate-Cache: off)',
      registers,
      collect() {
        this.inc(cache.uncached.count - uncachedSeen);
        uncachedSeen = cache.uncached.count;
      },
    });
  }
}
