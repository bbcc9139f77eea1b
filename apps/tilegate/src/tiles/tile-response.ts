import { gzipOf, hashOf } from '../cache/tile-forms';

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
  const etag = `"${hashOf(tile)}${compress ? '-gz' : ''}"`;
  const headers: Record<string, string> = {
    ...cacheHeaders,
    ETag: etag,
    Vary: `${cacheHeaders.Vary ? `${cacheHeaders.Vary}, ` : ''}Accept-Encoding`,
    'Content-Type': MVT_CONTENT_TYPE,
  };
  if (matchesEtag(request.ifNoneMatch, etag)) return { status: 304, headers, body: Buffer.alloc(0) };
  if (!compress) return { status: 200, headers, body: tile };
  return { status: 200, headers: { ...headers, 'Content-Encoding': 'gzip' }, body: await gzipOf(tile) };
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
