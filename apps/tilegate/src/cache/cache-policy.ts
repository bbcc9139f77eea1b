import type { Layer } from '../catalog/layer.types';

/** How one request's tile may be cached; `off` says why not, for logs and docs. */
export type CachePolicy = { cacheable: false; reason: string } | { cacheable: true; byClaims: boolean; ttlSeconds: number | null };

export interface LayerFacts {
  layer: Layer;
  /** Row level security is enabled on the table (as PostgreSQL says now, not as the registry remembers). */
  rowSecurity: boolean;
  /** Its data changes are notified to tilegate (invalidation triggers installed, and the listener up). */
  watched: boolean;
}

/**
 * Whether a tile of these layers may be cached, and keyed by what. A plain table (no row level
 * security) answers the same to every request of a role: keyed by role. Anything that may read
 * more than its own rows and the role — a policy, a view, a function, a foreign table — is cached
 * only when the configuration says so (`Cache = "role"` or `"claims"`), since it may depend on
 * other tables, the claims or the clock. Data that nothing watches lives TileCacheTTL seconds,
 * and with a TTL of 0 it is not cached at all.
 */
export function cachePolicy(facts: LayerFacts[], ttlSeconds: number): CachePolicy {
  let byClaims = false;
  let ttl: number | null = null;
  for (const fact of facts) {
    const layer = layerPolicy(fact, ttlSeconds);
    if (!layer.cacheable) return layer;
    byClaims ||= layer.byClaims;
    if (layer.ttlSeconds !== null) ttl = ttl === null ? layer.ttlSeconds : Math.min(ttl, layer.ttlSeconds);
  }
  return { cacheable: true, byClaims, ttlSeconds: ttl };
}

function layerPolicy({ layer, rowSecurity, watched }: LayerFacts, ttlSeconds: number): CachePolicy {
  const configured = layer.settings.cache;
  if (configured === 'off') return { cacheable: false, reason: `${layer.id} has Cache = "off"` };
  const plainTable = layer.kind === 'table' && (layer.relkind === 'r' || layer.relkind === 'p') && !rowSecurity;
  if (!plainTable && configured === undefined) return { cacheable: false, reason: `${layer.id} ${whatItMayReadBeyondItsRows(layer, rowSecurity)}; cached only with Cache = "role" or "claims"` };
  // A function reads whatever it likes: no trigger can say when its answer changes.
  const notified = watched && layer.kind === 'table';
  if (!notified && ttlSeconds <= 0) return { cacheable: false, reason: `nothing tells tilegate when ${layer.id} changes, and TileCacheTTL is 0` };
  return { cacheable: true, byClaims: configured === 'claims', ttlSeconds: notified ? null : ttlSeconds };
}

function whatItMayReadBeyondItsRows(layer: Layer, rowSecurity: boolean): string {
  if (layer.kind === 'function') return 'is a function layer';
  if (rowSecurity) return 'has row level security';
  return layer.relkind === 'f' ? 'is a foreign table' : 'is a view';
}
