import { randomBytes } from 'node:crypto';

// Where the Redis level keeps things, for one namespace (one database):
//   tilegate:{namespace}:state                      a hash: `epoch` and one `gen:{layerId}` per layer
//   tilegate:{namespace}:e{epoch}:g{g1,g2,...}:{entryKey}   a tile
// The epoch and the generations live in ONE hash so that Redis can only lose them together (an
// eviction under an allkeys-* policy, a FLUSHDB): a lone generation key that vanished would read as
// 0 again and revive tiles stored before that layer's first invalidation. A missing epoch is
// replaced by a fresh random one, so a lost or restored hash can never point at old entries.

export interface RedisKeys {
  /** The hash holding the epoch and the layers' generations. */
  state: string;
  /** Everything up to the generation tag; an entry's key is this + tag + ':' + entryKey. */
  entryPrefix: string;
}

export function redisKeys(namespace: string): RedisKeys {
  const base = `tilegate:${namespace}:`;
  return { state: `${base}state`, entryPrefix: base };
}

/** The key of one entry, under the generation tag that the lookup script returned. */
export function entryRedisKey(keys: RedisKeys, generations: string, entryKey: string): string {
  return `${keys.entryPrefix}${generations}:${entryKey}`;
}

/** The hash field holding one layer's generation. */
export const generationField = (layerId: string): string => `gen:${layerId}`;

/**
 * A new epoch value. Random rather than INCR: a counter goes back when Redis restarts from an old
 * snapshot or loses the hash, and would then reach entries written under the same number before.
 */
export const freshEpoch = (): string => randomBytes(9).toString('base64url');

/**
 * Whether a tag is one the lookup script builds for this many layers. A tag from another call
 * (other layers, another layer order) would file a tile where a different lookup finds it.
 */
export function tagFitsLayers(generations: string, layerCount: number): boolean {
  const match = /^e[A-Za-z0-9_-]+:g([0-9,]*)$/.exec(generations);
  if (!match) return false;
  const gens = match[1] === '' ? [] : match[1].split(',');
  return gens.length === layerCount && gens.every((g) => /^\d+$/.test(g));
}
