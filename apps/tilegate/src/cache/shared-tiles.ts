import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { CatalogReader, DATABASE_IDENTITY_SQL } from '@app/database';

/** What the shared level answers: bytes (null on a miss) and the generations to store a render under. */
export interface SharedLookup {
  bytes: Buffer | null;
  generations: string;
  /** A hit's remaining lifetime in Redis, in seconds. */
  secondsToLive?: number;
}

/** The second level's contract (RedisLevel): never throws; undefined when it cannot be used now. */
export interface SharedLevel {
  get(layerIds: string[], entryKey: string): Promise<SharedLookup | undefined>;
  set(layerIds: string[], generations: string, entryKey: string, bytes: Buffer, ttlSeconds: number | null): Promise<void>;
  invalidateLayers(layerIds: string[]): Promise<void>;
  invalidateAll(): Promise<void>;
  stats(): { hits: number; misses: number; errors: number; rejected: number; bytes: number; evictions: number; available: boolean };
  close(): Promise<void>;
}

/**
 * The optional Redis level, shared by every replica of one database. Without RedisUrl every call
 * is a miss that costs nothing. Its entries are namespaced by the database's identity (the
 * cluster's system identifier, which its streaming replicas share, and the database name), so two
 * databases behind one Redis never see each other's tiles.
 */
@Injectable()
export class SharedTiles implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TileCache');
  private level: SharedLevel | undefined;

  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly catalog: CatalogReader,
  ) {}

  async onModuleInit(): Promise<void> {
    const { redisUrl, redisSecret, maxBytes } = this.config.tileCache;
    if (!redisUrl || maxBytes === 0) return;
    const [{ identity }] = await this.catalog.read((sql) =>
      sql.query<{ identity: string }>(`SELECT ${DATABASE_IDENTITY_SQL} AS identity`),
    );
    // Loaded here so a server without RedisUrl never loads the client.
    const { RedisLevel } = await import('./redis-level');
    const where = new URL(redisUrl);
    this.logger.log(`tile cache: ${Math.round(maxBytes / 2 ** 20)} MB in memory, shared through Redis at ${where.host}${where.pathname} (database ${identity})`);
    this.level = new RedisLevel({ url: redisUrl, namespace: identity, secret: redisSecret, logger: { warn: (obj: object, msg: string) => this.logger.warn(`${msg} ${JSON.stringify(obj)}`) } });
  }

  get enabled(): boolean {
    return this.level !== undefined;
  }

  get(layerIds: string[], key: string): Promise<SharedLookup | undefined> {
    return this.level ? this.level.get(layerIds, key) : Promise.resolve(undefined);
  }

  set(layerIds: string[], generations: string, key: string, bytes: Buffer, ttlSeconds: number | null): Promise<void> {
    return this.level ? this.level.set(layerIds, generations, key, bytes, ttlSeconds) : Promise.resolve();
  }

  invalidateLayers(layerIds: string[]): Promise<void> {
    return this.level ? this.level.invalidateLayers(layerIds) : Promise.resolve();
  }

  invalidateAll(): Promise<void> {
    return this.level ? this.level.invalidateAll() : Promise.resolve();
  }

  stats(): ReturnType<SharedLevel['stats']> | undefined {
    return this.level?.stats();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.level?.close();
  }
}
