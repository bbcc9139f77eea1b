import { boundsTheCache, parseRedisInfo, RedisMemoryInfo } from './redis-info';

const REFRESH_MS = 5_000;

/**
 * Redis' memory figures for /metrics, from INFO at most every 5 s, asked for only when someone
 * looks (a lookup or /metrics) and never awaited: the figures may be one refresh old.
 */
export class RedisMemoryWatch {
  private info: RedisMemoryInfo = { usedMemoryBytes: 0, evictedKeys: 0, maxMemoryBytes: 0, maxMemoryPolicy: '' };
  private readAt = 0;

  constructor(
    private readonly readInfo: () => Promise<string>,
    private readonly events: { unbounded(info: RedisMemoryInfo): void; failed(err: unknown): void },
  ) {}

  get current(): RedisMemoryInfo {
    return this.info;
  }

  refresh(): void {
    if (Date.now() - this.readAt < REFRESH_MS) return;
    this.readAt = Date.now();
    this.readInfo().then(
      (text) => {
        this.info = parseRedisInfo(text);
        if (!boundsTheCache(this.info)) this.events.unbounded(this.info);
      },
      (err: unknown) => this.events.failed(err),
    );
  }
}
