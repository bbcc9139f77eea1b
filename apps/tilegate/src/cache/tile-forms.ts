import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

interface Forms {
  hash?: string;
  gzipped?: Promise<Buffer>;
  /** The gzip form's size, once it is made. */
  gzipBytes?: number;
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

/**
 * The tile's gzip form, made on first use and then kept beside it. A gzip that fails (zlib out of
 * memory) is not kept: the request that asked gets the error, and the next one tries again rather
 * than failing for as long as the tile stays cached.
 */
export function gzipOf(tile: Buffer, compress: (tile: Buffer) => Promise<Buffer> = gzip): Promise<Buffer> {
  const known = formsOf(tile);
  if (!known.gzipped) {
    const made = compress(tile);
    known.gzipped = made;
    made.then(
      (gz) => {
        known.gzipBytes = gz.length;
        const listeners = known.gzipListeners ?? [];
        known.gzipListeners = undefined;
        for (const listener of listeners) listener(gz.length);
      },
      () => {
        if (known.gzipped === made) known.gzipped = undefined;
      },
    );
  }
  return known.gzipped;
}

/**
 * `listener` is told the size of the tile's gzip form once, when it is made (after a failed
 * attempt, when one succeeds), or soon after now if it already was, so that what holds the tile
 * can count what the form adds.
 */
export function onGzipForm(tile: Buffer, listener: (bytes: number) => void): void {
  const known = formsOf(tile);
  const made = known.gzipBytes;
  if (made !== undefined) queueMicrotask(() => listener(made));
  else (known.gzipListeners ??= []).push(listener);
}
