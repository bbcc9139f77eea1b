import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);
export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

export interface TileResponse {
  status: 200 | 304;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Status, headers and body for a tile, from its bytes and the request's conditional and encoding
 * headers. A strong ETag is the hash of the bytes sent; the gzip representation has its own
 * (strong ETags must differ between representations). An empty tile is a 200 with no body.
 */
export async function tileResponse(
  tile: Buffer,
  request: { ifNoneMatch?: string; acceptEncoding?: string },
  cacheHeaders: Record<string, string>,
): Promise<TileResponse> {
  const compress = tile.length > 0 && acceptsGzip(request.acceptEncoding);
  const made = representations(tile);
  const etag = `"${made.hash}${compress ? '-gz' : ''}"`;
  const headers: Record<string, string> = {
    ...cacheHeaders,
    ETag: etag,
    Vary: `${cacheHeaders.Vary ? `${cacheHeaders.Vary}, ` : ''}Accept-Encoding`,
    'Content-Type': MVT_CONTENT_TYPE,
  };
  if (matchesEtag(request.ifNoneMatch, etag)) return { status: 304, headers, body: Buffer.alloc(0) };
  if (!compress) return { status: 200, headers, body: tile };
  made.gzipped ??= gzip(tile);
  return { status: 200, headers: { ...headers, 'Content-Encoding': 'gzip' }, body: await made.gzipped };
}

/**
 * A tile's hash and gzip form, made once per Buffer: a tile from the cache is the same Buffer
 * every time, so its hits cost neither a SHA-1 nor a gzip again. Gone with the Buffer.
 */
const made = new WeakMap<Buffer, { hash: string; gzipped?: Promise<Buffer> }>();

function representations(tile: Buffer): { hash: string; gzipped?: Promise<Buffer> } {
  let known = made.get(tile);
  if (!known) {
    known = { hash: createHash('sha1').update(tile).digest('base64url') };
    made.set(tile, known);
  }
  return known;
}

/** gzip listed in Accept-Encoding (or `*`) without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    return !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

/** If-None-Match: `*`, or a list of (possibly weak) tags; weak comparison as RFC 9110 asks for GET. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
