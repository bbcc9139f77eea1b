import { onGzipForm } from './tile-forms';

/** What a lookup saw of the layers' generations, to store the rendered tile under. */
export type Generations = readonly number[];

interface Entry {
  bytes: Buffer;
  layerIds: readonly string[];
  generations: Generations;
  /** ms since the epoch; Infinity for entries that live until invalidated. */
  expiresAt: number;
  /** What the entry is counted as holding: see entryCost. */
  cost: number;
}

/**
 * Bytes an entry costs beyond its tile and key: the entry, its Map slot, the Buffer object and
 * its malloc'd block, the hash and forms record. About 1 KB, measured with 100,000 small tiles
 * (heap and RSS per entry); it matters only where tiles are tiny, as empty ones are.
 */
const ENTRY_OVERHEAD = 1024;

/** What holding a tile costs: its bytes, its key and the entry; its gzip form is added once made. */
function entryCost(key: string, bytes: Buffer): number {
  return bytes.length + key.length + ENTRY_OVERHEAD;
}

/**
 * The first cache level: tiles in this process, least recently used evicted first when the bytes
 * held would pass `maxBytes` (or the lower limit MemoryGuard sets while the process needs memory). Each layer has a generation; invalidating a layer bumps it, and an
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
  /** What may be held now: maxBytes, or less while the process needs the memory (MemoryGuard). */
  private limitBytes: number;
  readonly counts = { hits: 0, misses: 0, evictions: 0 };

  constructor(
    readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.limitBytes = maxBytes;
  }

  get limit(): number {
    return this.limitBytes;
  }

  /** Holds at most `bytes` (never more than maxBytes) from now on, evicting the least recently used to fit. */
  setLimit(bytes: number): void {
    this.limitBytes = Math.max(0, Math.min(this.maxBytes, Math.floor(bytes)));
    this.evictToFit();
  }

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

  /**
   * Stores a tile rendered after a lookup that saw `generations`, unless a layer was invalidated since.
   * Returns the Buffer held (a copy when `bytes` shares memory with other Buffers), for the
   * response: its gzip form, once a client asks for one, is then kept with the entry and counted.
   */
  set(key: string, layerIds: readonly string[], generations: Generations, bytes: Buffer, ttlSeconds: number | null): Buffer {
    const cost = entryCost(key, bytes);
    // One tile (with a gzip form of at most its size) never pushes out an eighth of the cache.
    if (cost + bytes.length > this.maxBytes / 8) return bytes;
    const current = this.generations(layerIds);
    if (current.some((g, i) => g !== generations[i])) return bytes;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    // A small Buffer is often a slice of Node's shared 8 KiB pool: kept, it would keep the whole
    // slab alive, ten times what is counted. Held tiles own their memory.
    if (bytes.byteOffset !== 0 || bytes.buffer.byteLength !== bytes.length) bytes = ownCopy(bytes);
    const entry: Entry = { bytes, layerIds, generations, expiresAt: ttlSeconds === null ? Infinity : this.now() + ttlSeconds * 1000, cost };
    this.entries.set(key, entry);
    this.held += cost;
    onGzipForm(bytes, (gzipBytes) => this.grow(key, entry, gzipBytes));
    this.evictToFit();
    return bytes;
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

  /** An entry's tile got its gzip form, which lives as long as the entry: counted from now. */
  private grow(key: string, entry: Entry, bytes: number): void {
    if (this.entries.get(key) !== entry) return; // evicted, replaced or cleared meanwhile
    entry.cost += bytes;
    this.held += bytes;
    this.evictToFit();
  }

  /** Least recently used first, until what is held fits. */
  private evictToFit(): void {
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.limitBytes) break;
      this.remove(oldest, entry);
      this.counts.evictions++;
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.held -= entry.cost;
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
