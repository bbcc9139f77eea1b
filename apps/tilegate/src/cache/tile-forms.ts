import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

interface Forms {
  hash?: string;
  gzipped?: Promise<Buffer>;
  /** Told the gzip form's size once it is made: the memory level, which counts it as held. */
  gzipListeners?: Array<(bytes: number) => void>;
}

/**
 * What is made from a tile's bytes, once per Buffer: its hash (the ETag) and its gzip form. A tile
 * from the cache is the same Buffer every time, so its hits cost neither a SHA-1 nor a gzip again.
 * Gone with the Buffer: a cached tile's forms live as long as its entry does.
 */
const forms = new WeakMap<Buffer, Forms>();

function formsOf(tile: Buffer): Forms {
  let known = forms.get(tile);
  if (!known) {
    known = {};
    forms.set(tile, known);
  }
  return known;
}

/** The tile's strong hash, base64url. */
export function hashOf(tile: Buffer): string {
  const known = formsOf(tile);
  known.hash ??= createHash('sha1').update(tile).digest('base64url');
  return known.hash;
}

/** The tile's gzip form, made on first use and then kept beside it. */
export function gzipOf(tile: Buffer): Promise<Buffer> {
  const known = formsOf(tile);
  if (!known.gzipped) {
    const made = gzip(tile);
    known.gzipped = made;
    made.then((gz) => known.gzipListeners?.forEach((listener) => listener(gz.length)), () => undefined);
  }
  return known.gzipped;
}

/**
 * `listener` is told the size of the tile's gzip form once it is made, or soon after now if it
 * already was (or is being made), so that what holds the tile can count what the form adds.
 */
export function onGzipForm(tile: Buffer, listener: (bytes: number) => void): void {
  const known = formsOf(tile);
  if (known.gzipped) known.gzipped.then((gz) => listener(gz.length), () => undefined);
  else (known.gzipListeners ??= []).push(listener);
}
