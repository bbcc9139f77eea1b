import { InvalidTileError, RouteNotFoundError } from '@app/errors';

const MAX_ZOOM = 30;
export interface TileCoordinates {
  z: number;
  x: number;
  y: number;
}

const INTEGER = /^\d{1,20}$/;
/** `{y}.{ext}`: any extension, as pg_tileserv (`.pbf`, `.mvt`, `.pbf.gz` all give the same MVT). */
const TILE_FILE = /^(\d{1,20})\.[^/]{1,20}$/;

/**
 * `{z}/{x}/{y}.{ext}` from the URL, as pg_tileserv's route reads it: anything but digits for z, x
 * or y, or no extension, is not a tile URL at all (404, the router's answer); digits outside the
 * grid (z in 0..30, x and y in 0..2^z-1) are a 400 that says which part is wrong.
 */
export function parseTileCoordinates(zText: string, xText: string, file: string): TileCoordinates {
  const match = TILE_FILE.exec(file);
  if (!INTEGER.test(zText) || !INTEGER.test(xText) || !match) throw new RouteNotFoundError();
  const z = Number(zText);
  if (z > MAX_ZOOM) throw new InvalidTileError(`z must be from 0 to ${MAX_ZOOM}, got ${clip(zText)}`);
  const size = 2 ** z;
  const x = Number(xText);
  if (x >= size) throw new InvalidTileError(`x must be from 0 to ${size - 1} at zoom ${z}, got ${clip(xText)}`);
  const y = Number(match[1]);
  if (y >= size) throw new InvalidTileError(`y must be from 0 to ${size - 1} at zoom ${z}, got ${clip(match[1])}`);
  return { z, x, y };
}

function clip(text: string): string {
  return text.slice(0, 20);
}
