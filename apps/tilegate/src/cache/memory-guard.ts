const MB = 1024 * 1024;

/** What the process may use beside a full cache: the sizing rule docs/scaling.md gives operators. */
export const PROCESS_ALLOWANCE_BYTES = 150 * MB;
/**
 * The guard acts this far below the process limit, so that the peak stays under it between
 * checks: in the benchmark's pan/zoom trace the resident set rose up to 35 MB above its level for
 * less than a second at a time (renders, V8's heap before a collection). With 32 MB, a full
 * benchmark run peaked at 409 MB against 406 (2026-12-07); with 48, the trace alone at 387 where
 * 32 gave 400 and 402, in alternating runs, at the same tiles/s.
 */
const HEADROOM_BYTES = 48 * MB;
/** How often the resident set is read. */
const CHECK_INTERVAL_MS = 250;
/**
 * After giving memory up, how long to wait for the resident set to show it before giving more:
 * evicted tiles are freed only at V8's next collection, and counting the same excess twice would
 * empty the cache.
 */
export const SHRINK_SETTLE_MS = 1000;

/**
 * The cache's limit for the next interval, from the process's resident set now. Above the mark
 * (the process limit less the headroom), the cache gives up what the process is over it by, at
 * most once per SHRINK_SETTLE_MS; well below it, the limit grows back, a sixteenth of the cache
 * at a time.
 */
export function nextCacheLimit(s: { rssBytes: number; heldBytes: number; limitBytes: number; maxBytes: number; msSinceShrink: number }): number {
  const mark = s.maxBytes + PROCESS_ALLOWANCE_BYTES - HEADROOM_BYTES;
  if (s.rssBytes > mark) return s.msSinceShrink < SHRINK_SETTLE_MS ? s.limitBytes : Math.max(0, Math.min(s.limitBytes, s.heldBytes - (s.rssBytes - mark)));
  if (s.rssBytes < mark - HEADROOM_BYTES && s.limitBytes < s.maxBytes) return Math.min(s.maxBytes, s.limitBytes + s.maxBytes / 16);
  return s.limitBytes;
}

interface GuardedLevel {
  readonly maxBytes: number;
  readonly bytes: number;
  readonly limit: number;
  setLimit(bytes: number): void;
}

/**
 * Keeps the process within TileCacheSize + 150 MB by holding fewer tiles while the rest of the
 * process needs more than 150 MB (renders under way, V8's heap between collections, large
 * catalogs): the one part of its memory tilegate can give back at once. A container sized by
 * that rule is then not killed for the cache.
 */
export class MemoryGuard {
  private readonly timer: NodeJS.Timeout;
  private shrunkAt = -Infinity;

  constructor(level: GuardedLevel, rss: () => number = () => process.memoryUsage.rss(), now: () => number = Date.now) {
    this.timer = setInterval(() => {
      const limit = nextCacheLimit({ rssBytes: rss(), heldBytes: level.bytes, limitBytes: level.limit, maxBytes: level.maxBytes, msSinceShrink: now() - this.shrunkAt });
      if (limit < level.limit) this.shrunkAt = now();
      if (limit !== level.limit) level.setLimit(limit);
    }, CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
