import { InvalidTileError } from '@app/errors';

const MAX_ZOOM = 30;
export interface TileCoordinates {
  z: number;
  x: number;
  y: number;
}

const INTEGER = /^\d{1,10}$/;
const TILE_FILE = /^(\d{1,10})\.(pbf|mvt)$/;

/**
 * `{z}/{x}/{y}.pbf` (or `.mvt`) from the URL, checked against the grid: z in 0..30, and x and y in
 * 0..2^z-1. Anything else is a 400 that says which part is wrong.
 */
export function parseTileCoordinates(zText: string, xText: string, file: string): TileCoordinates {
  if (!INTEGER.test(zText)) throw new InvalidTileError(`z must be a whole number from 0 to ${MAX_ZOOM}, got '${clip(zText)}'`);
  const z = Number(zText);
  if (z > MAX_ZOOM) throw new InvalidTileError(`z must be from 0 to ${MAX_ZOOM}, got ${z}`);
  const size = 2 ** z;
  if (!INTEGER.test(xText)) throw new InvalidTileError(`x must be a whole number, got '${clip(xText)}'`);
  const x = Number(xText);
  if (x >= size) throw new InvalidTileError(`x must be from 0 to ${size - 1} at zoom ${z}, got ${x}`);
  const match = TILE_FILE.exec(file);
  if (!match) throw new InvalidTileError(`the tile must be {y}.pbf or {y}.mvt, got '${clip(file)}'`);
  const y = Number(match[1]);
  if (y >= size) throw new InvalidTileError(`y must be from 0 to ${size - 1} at zoom ${z}, got ${y}`);
  return { z, x, y };
}

function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.slice(0, 20).replace(/[\u0000-\u001f']/g, '?');
}
