/** What a lookup saw of the layers' generations, to store the rendered tile under. */
export type Generations = readonly number[];

interface Entry {
  bytes: Buffer;
  layerIds: readonly string[];
  generations: Generations;
  /** ms since the epoch; Infinity for entries that live until invalidated. */
  expiresAt: number;
}

/** Bytes an entry costs beyond its tile: key, bookkeeping, Map slot. */
const ENTRY_OVERHEAD = 200;

/**
 * What a tile's bytes cost held: the tile and, once a client asked for it, its gzip form, which
 * tile-response.ts keeps beside it (vector tiles gzip to well under half their size).
 */
function entryCost(key: string, bytes: Buffer): number {
  return Math.ceil(bytes.length * 1.5) + key.length + ENTRY_OVERHEAD;
}

/**
 * The first cache level: tiles in this process, least recently used evicted first when the bytes
 * held would pass `maxBytes`. Each layer has a generation; invalidating a layer bumps it, and an
 * entry stored under an older generation of any of its layers is never returned. A lookup hands
 * out the generations it saw, and a tile rendered after it is stored under those, so a tile whose
 * rendering began before an invalidation cannot come back after it.
 */
export class MemoryLevel {
  private readonly entries = new Map<string, Entry>();
  private readonly generationOf = new Map<string, number>();
  /** Bumped by clear(): renders under way then are not stored either. */
  private epoch = 0;
  private held = 0;
  readonly counts = { hits: 0, misses: 0, evictions: 0 };

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The tile under `key`, if stored under the layers' current generations and not expired. */
  get(key: string, layerIds: readonly string[]): { bytes: Buffer | undefined; generations: Generations } {
    const generations = this.generations(layerIds);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now() && sameGenerations(entry, layerIds, generations)) {
      // Re-inserting moves the entry to the end: Map order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.counts.hits++;
      return { bytes: entry.bytes, generations };
    }
    if (entry) this.remove(key, entry);
    this.counts.misses++;
    return { bytes: undefined, generations };
  }

  /** Stores a tile rendered after a lookup that saw `generations`, unless a layer was invalidated since. */
  set(key: string, layerIds: readonly string[], generations: Generations, bytes: Buffer, ttlSeconds: number | null): void {
    const cost = entryCost(key, bytes);
    if (cost > this.maxBytes / 8) return; // one tile never pushes out an eighth of the cache
    const current = this.generations(layerIds);
    if (current.some((g, i) => g !== generations[i])) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    // A small Buffer is often a slice of Node's shared 8 KiB pool: kept, it would keep the whole
    // slab alive, ten times what is counted. Held tiles own their memory.
    if (bytes.byteOffset !== 0 || bytes.buffer.byteLength !== bytes.length) bytes = ownCopy(bytes);
    this.entries.set(key, { bytes, layerIds, generations, expiresAt: ttlSeconds === null ? Infinity : this.now() + ttlSeconds * 1000 });
    this.held += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.remove(oldest, entry);
      this.counts.evictions++;
    }
  }

  /** Nothing stored for these layers before now is returned again. */
  invalidateLayers(layerIds: Iterable<string>): void {
    for (const id of layerIds) this.generationOf.set(id, (this.generationOf.get(id) ?? 0) + 1);
  }

  /** Nothing stored before now is returned again; the memory is given back at once. */
  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.held = 0;
  }

  /** The epoch, then each layer's generation. */
  private generations(layerIds: readonly string[]): number[] {
    return [this.epoch, ...layerIds.map((id) => this.generationOf.get(id) ?? 0)];
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.held -= entryCost(key, entry.bytes);
  }
}

function sameGenerations(entry: Entry, layerIds: readonly string[], generations: Generations): boolean {
  return entry.layerIds.length === layerIds.length && entry.layerIds.every((id, i) => id === layerIds[i]) && entry.generations.every((g, i) => g === generations[i]);
}

/** A copy in memory of its own: Buffer.from() would take a small one from the shared pool again. */
function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
