import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { PrivilegeStamps, PrivilegeStampReader, ReadReplicas, RequestRole } from '@app/database';
import type { Layer } from '../catalog/layer.types';
import { LayerRegistry } from '../catalog/layer-registry';
import { cacheKey, DigestedStatement } from './cache-key';
import { cachePolicy, CachePolicy } from './cache-policy';
import { MemoryLevel } from './memory-level';
import { MemoryGuard } from './memory-guard';
import { SharedTiles } from './shared-tiles';
import { WatchedLayers } from './watched-layers';

/** lastStamps' entry for the cluster-wide part (no layer id contains a NUL). */
const ROLES_STAMP = '\u0000roles';

/** Where a tile came from, as the `Tilegate-Cache` header says. */
export type CacheSource = 'miss' | 'hit' | 'hit-shared' | 'off';

export interface CachedTile {
  bytes: Buffer;
  source: CacheSource;
}

/**
 * The tile cache: it wraps the tile service's rendering by key and never decides a privilege.
 * Each request first reads the privilege stamps of its layers (coalesced with other requests'
 * reads, never older than the request); they are part of the key, so a GRANT, REVOKE or change of
 * role membership sends the next request to PostgreSQL exactly as without a cache. Then memory,
 * then the shared Redis level, then PostgreSQL.
 */
@Injectable()
export class TileCache implements OnModuleDestroy {
  private readonly memory: MemoryLevel | undefined;
  private readonly guard: MemoryGuard | undefined;
  readonly uncached = { count: 0 };
  /** The privilege stamps last seen, by layer id (and ROLES_STAMP). */
  private readonly lastStamps = new Map<string, string>();
  /** Privilege changes the read replicas may not have replayed yet. */
  private catchingUp = 0;

  constructor(
    @Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig,
    private readonly stamps: PrivilegeStampReader,
    private readonly shared: SharedTiles,
    private readonly watched: WatchedLayers,
    private readonly replicas: ReadReplicas,
    private readonly registry: LayerRegistry,
  ) {
    this.memory = config.tileCache.maxBytes > 0 ? new MemoryLevel(config.tileCache.maxBytes) : undefined;
    this.guard = this.memory && config.tileCache.guardProcessMemory ? new MemoryGuard(this.memory) : undefined;
    watched.onChange((ids) => this.invalidate(ids));
    watched.onLost(() => this.clear());
    // Tiles take layer metadata from the registry without asking whether it changed; after DDL it may have.
    watched.onSchemaChange(() => registry.invalidate());
  }

  onModuleDestroy(): void {
    this.guard?.stop();
  }

  get memoryLevel(): MemoryLevel | undefined {
    return this.memory;
  }

  sharedStats(): { hits: number; misses: number; evictions: number; bytes: number; rejected: number } | undefined {
    return this.shared.stats();
  }

  /**
   * The tile for a request that runs as `role` (the auth guard's decision, from the request's
   * RoleTransaction, which renders it). `render(onPrimary)`: onPrimary is true while a change is
   * known that read replicas may not have replayed yet, so no tile rendered from before it is
   * cached (or served).
   */
  async tile(role: RequestRole, layers: Layer[], statement: DigestedStatement, render: (onPrimary: boolean) => Promise<Buffer>): Promise<CachedTile> {
    const memory = this.memory;
    if (!memory || !this.cheaplyCacheable(layers)) return this.off(render);
    const stamps = await this.stamps.stamps(stampsAsked(layers));
    // A layer whose stamp moved may also have been renamed, swapped or altered: its metadata is
    // read again, and this one tile (made from what the registry remembered) is not stored.
    if (this.stampsMoved(layers, stamps)) return this.off(render, this.catchingUp > 0);
    const privileges = privilegeStampsOf(layers, stamps);
    const policy = privileges && this.policy(layers, stamps);
    if (!privileges || !policy?.cacheable) return this.off(render);
    const key = cacheKey({ statementDigest: statement.digest(), role, byClaims: policy.byClaims, privileges });
    const ids = layers.map((layer) => layer.id);
    const local = memory.get(key, ids);
    if (local.bytes) return { bytes: local.bytes, source: 'hit' };
    const shared = await this.shared.get(ids, key);
    if (shared?.bytes) {
      // A TTL tile lives TileCacheTTL from its rendering, not from when this replica first saw it.
      const ttl = policy.ttlSeconds === null ? null : Math.min(policy.ttlSeconds, shared.secondsToLive ?? policy.ttlSeconds);
      return { bytes: memory.set(key, ids, local.generations, shared.bytes, ttl), source: 'hit-shared' };
    }
    const bytes = await render(this.catchingUp > 0 || this.watched.catchingUp);
    if (shared) void this.shared.set(ids, shared.generations, key, bytes, policy.ttlSeconds);
    // The Buffer held is the one answered with, so the gzip form this response may make is kept
    // with the entry (and counted), not made again on the first hit.
    return { bytes: memory.set(key, ids, local.generations, bytes, policy.ttlSeconds), source: 'miss' };
  }

  /** Layers whose data changed: nothing cached for them before is served again, here or by any replica. */
  invalidate(layerIds: string[]): void {
    this.memory?.invalidateLayers(layerIds);
    void this.shared.invalidateLayers(layerIds);
  }

  /** Changes may have gone unseen: forget everything, here and in the shared level. */
  clear(): void {
    this.memory?.clear();
    void this.shared.invalidateAll();
  }

  /**
   * Compares the stamps with those last seen here, and says whether a layer's moved. With read
   * replicas, a tile keyed by new privilege stamps (read on the primary) may still be rendered on
   * a replica that has not replayed the GRANT or REVOKE: until they all have, tiles are rendered
   * on the primary, and changed layers are invalidated again after. Stamps seen here for the
   * first time (a server just started, a layer first asked for) may be just as new, so they are
   * treated alike; nothing was cached here under them before, so nothing is invalidated.
   */
  private stampsMoved(layers: Layer[], stamps: PrivilegeStamps): boolean {
    const changed: string[] = [];
    let unseen = false;
    let rolesChanged = false;
    const roles = this.lastStamps.get(ROLES_STAMP);
    if (roles !== stamps.roles) {
      unseen = true;
      rolesChanged = roles !== undefined;
      this.lastStamps.set(ROLES_STAMP, stamps.roles);
    }
    for (const layer of layers) {
      const stamp = stamps.layers.get(layer.oid)?.stamp;
      if (stamp === undefined || this.lastStamps.get(layer.id) === stamp) continue;
      unseen = true;
      if (this.lastStamps.has(layer.id)) changed.push(layer.id);
      this.lastStamps.set(layer.id, stamp);
    }
    if (changed.length > 0) this.registry.invalidate();
    if (unseen && this.replicas.configured) {
      this.catchingUp++;
      void this.replicas.readsCaughtUpTo(stamps.walLsn).then(() => {
        this.catchingUp--;
        if (rolesChanged) this.clear();
        else if (changed.length > 0) this.invalidate(changed);
      });
    }
    return changed.length > 0;
  }

  /** `onPrimary`: a privilege change the read replicas may not have replayed yet was just seen. */
  private off(render: (onPrimary: boolean) => Promise<Buffer>, onPrimary = false): Promise<CachedTile> {
    this.uncached.count++;
    return render(onPrimary).then((bytes) => ({ bytes, source: 'off' as const }));
  }

  /** Without a query: layers that would not be cached whatever PostgreSQL says now. */
  private cheaplyCacheable(layers: Layer[]): boolean {
    return this.policyWith(layers, () => false).cacheable;
  }

  private policy(layers: Layer[], stamps: PrivilegeStamps): CachePolicy {
    return this.policyWith(layers, (layer) => stamps.layers.get(layer.oid)?.rowSecurity ?? true);
  }

  private policyWith(layers: Layer[], rowSecurity: (layer: Layer) => boolean): CachePolicy {
    return cachePolicy(
      layers.map((layer) => ({ layer, rowSecurity: rowSecurity(layer), watched: this.watched.isWatched(layer) })),
      this.config.tileCache.ttlSeconds,
    );
  }
}

/** Views and materialized views have rewrite rules: their stamps cover what they read. */
function stampsAsked(layers: Layer[]): { tables: number[]; views: number[]; functions: number[] } {
  const relations = layers.filter((l) => l.kind === 'table');
  return {
    tables: relations.filter((l) => l.relkind !== 'v' && l.relkind !== 'm').map((l) => l.oid),
    views: relations.filter((l) => l.relkind === 'v' || l.relkind === 'm').map((l) => l.oid),
    functions: layers.flatMap((l) => (l.kind === 'function' ? l.overloads.map((o) => o.oid) : [])),
  };
}

/** The stamps for the key, or undefined when a layer's relation or function no longer exists. */
function privilegeStampsOf(layers: Layer[], stamps: PrivilegeStamps): string[] | undefined {
  const parts = [stamps.roles];
  for (const layer of layers) {
    const oids = layer.kind === 'table' ? [layer.oid] : layer.overloads.map((o) => o.oid);
    for (const oid of oids) {
      const stamp = stamps.layers.get(oid);
      if (!stamp) return undefined;
      parts.push(stamp.stamp);
    }
  }
  return parts;
}
