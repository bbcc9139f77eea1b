import { decodeTile } from './mvt';

/** What the tile cache's specs look at in one answer: its status, where it came from, the features' names. */
export interface CachedTileAnswer {
  status: number;
  source: string | null;
  names: string[];
}

/** GET one layer's tile (0/0/0 unless told) and read its Tilegate-Cache header and feature names, sorted. */
export async function getCachedTile(baseUrl: string, layer: string, tile = '0/0/0'): Promise<CachedTileAnswer> {
  const response = await fetch(`${baseUrl}/${layer}/${tile}.pbf`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const features = response.status === 200 ? (decodeTile(bytes)[layer] ?? []) : [];
  return { status: response.status, source: response.headers.get('tilegate-cache'), names: features.map((f) => String(f.properties.name)).sort() };
}

/** Asks again every 20 ms until `ok`; after `ms`, fails with what it last saw. */
export async function untilTile(what: string, get: () => Promise<CachedTileAnswer>, ok: (tile: CachedTileAnswer) => boolean, ms: number): Promise<CachedTileAnswer> {
  const deadline = Date.now() + ms;
  for (;;) {
    const tile = await get();
    if (ok(tile)) return tile;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(tile)} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
