import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { CatalogReader, openNotificationConnection, PrimaryNotifier, ReadReplicas } from '@app/database';
import type { Layer } from '../catalog/layer.types';
import { ChangeListener } from './change-listener';
import { ddlTriggerInstalled, outdatedWatches, RelationWatch, watchChanges, watchState } from './watch-state';

/** A safety net under the DDL notifications: the watch state is read again this often. */
const REFRESH_MS = 5000;

/**
 * Which layers' data changes tilegate hears of (the triggers of sql/tile-cache-invalidation.sql,
 * while the listening connection to the primary is up), and who to tell when one changes or when
 * changes may have gone unheard. A layer is asked about lazily: the first tile of a layer not yet
 * known here is not cached, and its watch state is read in the background.
 *
 * With read replicas every invalidation is made twice: at once, and again when the replicas have
 * replayed the change, since a tile rendered on a replica in between may predate it.
 */
@Injectable()
export class WatchedLayers implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('TileCache');
  private readonly changeHandlers: Array<(layerIds: string[]) => void> = [];
  private readonly lostHandlers: Array<() => void> = [];
  private readonly schemaHandlers: Array<() => void> = [];
  private listener: ChangeListener | undefined;
  private state = new Map<number, RelationWatch>();
  /** Layer relation oid -> layer ids (a relation may serve several geometry columns). */
  private readonly layerIds = new Map<number, Set<string>>();
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private pendingCatchUps = 0;
  /** Said once at start: whether the invalidation triggers are there at all. */
  private toldInstallState = false;

  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly catalog: CatalogReader,
    private readonly replicas: ReadReplicas,
    private readonly notifier: PrimaryNotifier,
  ) {}

  onModuleInit(): void {
    if (this.config.tileCache.maxBytes === 0) return;
    const warn = (obj: object, msg: string) => this.logger.warn(`${msg} ${JSON.stringify(obj)}`);
    this.listener = new ChangeListener((handlers) => openNotificationConnection(this.config.dbConnection, handlers), { warn }, {}, (channel, payload) =>
      this.notifier.notify(channel, payload),
    );
    this.listener.on('listening', () => this.refresh());
    this.listener.on('lost', () => this.lost());
    this.listener.on('tables', (oids, lsn) => this.tablesChanged(oids, lsn));
    this.listener.on('ddl', (lsn) => this.schemaChanged(lsn));
    this.listener.start();
    this.timer = setInterval(() => this.refresh(), REFRESH_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.listener?.close();
  }

  isWatched(layer: Layer): boolean {
    if (layer.kind !== 'table' || !this.listener?.isListening) return false;
    const ids = this.layerIds.get(layer.oid);
    if (!ids?.has(layer.id)) {
      this.layerIds.set(layer.oid, new Set([...(ids ?? []), layer.id]));
      if (!this.state.has(layer.oid)) this.refresh();
    }
    return this.state.get(layer.oid)?.watched === true;
  }

  /** A change was heard that the read replicas may not have replayed yet: render on the primary meanwhile. */
  get catchingUp(): boolean {
    return this.pendingCatchUps > 0;
  }

  onChange(handler: (layerIds: string[]) => void): void {
    this.changeHandlers.push(handler);
  }

  onLost(handler: () => void): void {
    this.lostHandlers.push(handler);
  }

  /** DDL was committed: layer metadata may be stale (a tile with a new column should show it). */
  onSchemaChange(handler: () => void): void {
    this.schemaHandlers.push(handler);
  }

  private tablesChanged(tables: number[], lsn: string): void {
    const changed = new Set(tables);
    const ids: string[] = [];
    for (const [oid, watch] of this.state) {
      if (watch.baseTables.some((table) => changed.has(table))) ids.push(...(this.layerIds.get(oid) ?? []));
    }
    if (ids.length === 0) return;
    this.tell(this.changeHandlers, ids);
    if (this.replicas.configured) this.afterReplicasReplay(lsn, () => this.tell(this.changeHandlers, ids));
  }

  /** DDL can change any layer's tiles (ALTER COLUMN TYPE, CREATE OR REPLACE VIEW) and what is watched. */
  private schemaChanged(lsn: string): void {
    this.tell(this.schemaHandlers);
    this.tell(this.lostHandlers);
    const after = () => {
      this.tell(this.schemaHandlers);
      this.tell(this.lostHandlers);
      this.refresh();
    };
    if (this.replicas.configured) this.afterReplicasReplay(lsn, after);
    else this.refresh();
  }

  private afterReplicasReplay(lsn: string, then: () => void): void {
    this.pendingCatchUps++;
    void this.replicas.readsCaughtUpTo(lsn).then(() => {
      this.pendingCatchUps--;
      then();
    });
  }

  private lost(): void {
    this.state = new Map();
    this.tell(this.lostHandlers);
  }

  /** Reads the watch state of every layer asked about; one read at a time, another after it if asked meanwhile. */
  private refresh(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    const oids = [...this.layerIds.keys()];
    this.refreshing = this.catalog
      .read(async (sql) => {
        const run = (text: string, values?: unknown[]) => sql.query(text, values);
        if (!this.toldInstallState) this.tellInstallState(await ddlTriggerInstalled(run), await outdatedWatches(run));
        return watchState(run, oids);
      })
      .then((state) => {
        // A state read while not listening would claim layers watched whose changes nobody hears.
        if (!this.listener?.isListening) return;
        const changed = watchChanges(this.state, state);
        this.state = state;
        // After the new state is in place: a tile stored from now on is kept by the new rule.
        const ids = changed.flatMap((oid) => [...(this.layerIds.get(oid) ?? [])]);
        if (ids.length > 0) this.tell(this.changeHandlers, ids);
      })
      .catch((err: Error) => this.logger.warn(`could not read which layers are watched: ${err.message}`))
      .finally(() => {
        this.refreshing = undefined;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.refresh();
        }
      });
  }

  private tellInstallState(installed: boolean, outdated: string[]): void {
    this.toldInstallState = true;
    const ttl = this.config.tileCache.ttlSeconds;
    if (outdated.length > 0) {
      const names = outdated.slice(0, 10).join(', ') + (outdated.length > 10 ? `, and ${outdated.length - 10} more` : '');
      this.logger.warn(`tile cache: ${names} ${outdated.length === 1 ? 'was' : 'were'} watched by an earlier sql/tile-cache-invalidation.sql and count as not watched until SELECT tilegate_cache.watch('...') runs on them again (docs/scaling.md, upgrading)`);
    }
    if (installed) this.logger.log('tile cache: listening for data changes; watched tables are cached until they change');
    else this.logger.log(`tile cache: sql/tile-cache-invalidation.sql is not installed (or its DDL event trigger is not enabled ALWAYS: run the script again as a superuser), so no layer is watched; ${ttl > 0 ? `tiles live TileCacheTTL = ${ttl} s` : 'with TileCacheTTL = 0 nothing is cached'} (docs/scaling.md)`);
  }

  private tell<A extends unknown[]>(handlers: Array<(...args: A) => void>, ...args: A): void {
    for (const handler of handlers) {
      try {
        handler(...args);
      } catch (err) {
        this.logger.warn(`a cache invalidation failed: ${(err as Error).message}`);
      }
    }
  }
}
