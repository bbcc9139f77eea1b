import Redis from 'ioredis';
import { EntrySeal } from './entry-seal';
import { entryRedisKey, freshEpoch, generationField, RedisKeys, redisKeys, tagFitsLayers } from './redis-keys';
import { LOOKUP_COMMAND, LOOKUP_LUA, LookupReply, WithLookupCommand } from './redis-lookup-script';
import { RedisEpoch } from './redis-epoch';
import { RedisMemoryWatch } from './redis-memory-watch';
import { ThrottledWarnings, WarnLogger } from './throttled-warnings';

/** bytes null = miss; generations = opaque tag to pass to set(). */
export interface SharedLevelLookup {
  bytes: Buffer | null;
  generations: string;
  /** A hit's remaining lifetime in Redis, in seconds; a tile taken from Redis must not outlive it in memory. */
  secondsToLive?: number;
}

export interface RedisLevelOptions {
  url: string;
  /** Identifies the database: replicas of one database share it, other databases never meet. */
  namespace: string;
  /** RedisSecret: every entry is sealed with it (EntrySeal). */
  secret: string;
  logger: WarnLogger;
  /** Longest wait for one Redis command; a slower Redis is treated as absent. */
  commandTimeoutMs?: number;
  /** Wait before retrying a failed epoch bump while still connected (a reconnect retries at once). */
  recoveryDelayMs?: number;
}

export interface RedisLevelStats {
  hits: number;
  misses: number;
  /** Redis commands that failed or timed out. */
  errors: number;
  /** Entries that failed their seal check (another RedisSecret, or changed in Redis): missed and rendered. */
  rejected: number;
  /** used_memory of the whole Redis (every namespace), from INFO. */
  bytes: number;
  /** evicted_keys of the whole Redis, from INFO. */
  evictions: number;
  available: boolean;
}

/** Larger tiles are rendered again rather than shipped to and from Redis. */
export const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
/** The TTL of entries of watched layers: invalidation orphans them, this lets Redis reclaim them. */
export const SAFETY_TTL_SECONDS = 86_400;

/**
 * The shared, second level of the tile cache: one Redis for every replica. Redis down, slow or not
 * trusted (see RedisEpoch) means the caller renders; nothing here throws.
 */
export class RedisLevel {
  private readonly client: Redis;
  private readonly lookup: WithLookupCommand;
  private readonly keys: RedisKeys;
  private readonly namespace: string;
  private readonly epoch: RedisEpoch;
  private readonly seal: EntrySeal;
  private readonly logger: WarnLogger;
  private readonly warnings: ThrottledWarnings;
  private readonly memory: RedisMemoryWatch;
  private readonly counts = { hits: 0, misses: 0, errors: 0, rejected: 0 };
  private closed = false;

  constructor(options: RedisLevelOptions) {
    this.namespace = options.namespace;
    this.keys = redisKeys(options.namespace);
    this.seal = new EntrySeal(options.secret);
    this.logger = options.logger;
    this.warnings = new ThrottledWarnings(options.logger, { namespace: options.namespace });
    this.client = new Redis(options.url, {
      // A command while disconnected fails at once instead of waiting for a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 50,
      connectTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2_000),
    });
    this.client.defineCommand(LOOKUP_COMMAND, { numberOfKeys: 1, lua: LOOKUP_LUA });
    this.lookup = this.client as unknown as WithLookupCommand;
    // Without a listener ioredis reports every failed reconnect as an unhandled 'error'.
    this.client.on('error', (err: Error) => this.warn('connection', { err: err.message }, 'Redis cache level: connection error'));
    // First connect and every reconnect: trust only after our own epoch bump.
    this.epoch = new RedisEpoch(this.client, this.keys.state, options.recoveryDelayMs ?? 1_000, {
      failed: (what, err) => this.commandFailed(what, err),
      recovered: () => this.warnings.reset(),
      lost: () => this.logger.warn({ namespace: this.namespace }, 'Redis cache level: connection lost, tiles are rendered until it is back'),
    });
    this.memory = new RedisMemoryWatch(() => this.client.info(), {
      unbounded: (info) =>
        this.warn('memory-policy', { maxmemory: info.maxMemoryBytes, policy: info.maxMemoryPolicy }, 'Redis cache level: Redis has no maxmemory limit or does not evict; every distinct tile request is an entry, so set maxmemory and maxmemory-policy allkeys-lru (docs/scaling.md)'),
      failed: (err) => this.commandFailed('INFO', err),
    });
  }

  /** undefined when Redis cannot be used now (down, slow, or not trusted): the caller then renders. */
  async get(layerIds: string[], entryKey: string): Promise<SharedLevelLookup | undefined> {
    const period = this.epoch.period;
    if (period === undefined || !this.connected()) return undefined;
    this.refreshMemoryInfo();
    let reply: LookupReply;
    try {
      reply = await this.lookup.tilegateLookupBuffer(this.keys.state, freshEpoch(), this.keys.entryPrefix, entryKey, ...layerIds.map(generationField));
    } catch (err) {
      this.commandFailed('lookup', err);
      return undefined;
    }
    // Trust was lost (and maybe regained) during the round trip: the answer may predate a missed change.
    if (this.epoch.period !== period) return undefined;
    const [tagBytes, sealed, pttl] = reply;
    const generations = tagBytes.toString();
    // The tag is built from the state hash, which tilegate writes only with integers and its own
    // epochs: anything else was written by someone else.
    if (!tagFitsLayers(generations, layerIds.length)) {
      this.rejected('the state hash holds a generation tag tilegate never writes (changed in Redis)');
      return undefined;
    }
    const opened = sealed && this.seal.open({ namespace: this.namespace, generations, entryKey }, sealed);
    if (opened === undefined && sealed) this.rejected('an entry failed its seal check (written with another RedisSecret, or changed in Redis)');
    if (!opened || opened === 'expired') {
      this.counts.misses++;
      return { bytes: null, generations };
    }
    this.counts.hits++;
    const redisMs = Number(pttl?.toString());
    const ms = Math.min(opened.deadlineMs - Date.now(), redisMs >= 0 ? redisMs : Infinity);
    return { bytes: opened.tile, generations, secondsToLive: ms / 1000 };
  }

  /** Stores under the generations read by get(); ttlSeconds null = SAFETY_TTL_SECONDS. */
  async set(layerIds: string[], generations: string, entryKey: string, bytes: Buffer, ttlSeconds: number | null): Promise<void> {
    if (!this.epoch.trusted || !this.connected()) return;
    if (bytes.length > MAX_ENTRY_BYTES || !tagFitsLayers(generations, layerIds.length)) return;
    const ttlMs = Math.round((ttlSeconds === null ? SAFETY_TTL_SECONDS : ttlSeconds) * 1000);
    if (!(ttlMs > 0)) return;
    const sealed = this.seal.seal({ namespace: this.namespace, generations, entryKey }, bytes, Date.now() + ttlMs);
    try {
      await this.client.set(entryRedisKey(this.keys, generations, entryKey), sealed, 'PX', ttlMs);
    } catch (err) {
      this.commandFailed('store', err);
    }
  }

  /** Bumps these layers' generations for every replica; a failure distrusts the level. */
  async invalidateLayers(layerIds: string[]): Promise<void> {
    if (layerIds.length === 0 || this.closed) return;
    try {
      const results = await this.client.multi(layerIds.map((id) => ['hincrby', this.keys.state, generationField(id), '1'])).exec();
      const failed = results === null ? new Error('transaction discarded') : results.find(([err]) => err)?.[0];
      if (failed) throw failed;
    } catch (err) {
      this.epoch.invalidationFailed('layer invalidation', err);
    }
  }

  /** Installs a fresh epoch: nothing stored before is read again, by any replica. */
  async invalidateAll(): Promise<void> {
    await this.epoch.bump();
  }

  /** Counters since start, and Redis' memory figures as of the last INFO (refreshed at most every 5 s). */
  stats(): RedisLevelStats {
    this.refreshMemoryInfo();
    return {
      ...this.counts,
      bytes: this.memory.current.usedMemoryBytes,
      evictions: this.memory.current.evictedKeys,
      available: this.epoch.trusted && this.connected(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.epoch.close();
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private connected(): boolean {
    return !this.closed && this.client.status === 'ready';
  }

  /** Not written by a replica with this RedisSecret: rendered instead (and an entry is stored again, sealed). */
  private rejected(what: string): void {
    this.counts.rejected++;
    this.warn('seal', {}, `Redis cache level: ${what}, rendering instead`);
  }

  private commandFailed(what: string, err: unknown): void {
    this.counts.errors++;
    this.warn(what, { err: err instanceof Error ? err.message : String(err) }, `Redis cache level: ${what} failed, rendering instead`);
  }

  private refreshMemoryInfo(): void {
    if (this.connected()) this.memory.refresh();
  }

  private warn(kind: string, obj: object, msg: string): void {
    if (!this.closed) this.warnings.warn(kind, obj, msg);
  }
}
