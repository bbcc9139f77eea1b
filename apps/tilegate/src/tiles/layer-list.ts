import { InvalidParameterError } from '@app/errors';

/**
 * Most distinct layers in one tile. pg_tileserv users combine a handful; each layer is a subquery
 * in one statement, so a list of hundreds made one request run for tens of seconds.
 */
export const MAX_LAYERS_PER_TILE = 20;

/**
 * `a` or `a,b,c` from the tile URL, each layer once, in the order first given (an MVT's layer
 * names must be unique, so a repeated layer would make an invalid tile; pg_tileserv drops
 * repeats too). Bounded before any look-up; the count says nothing about which layers exist.
 */
export function layerIdsOf(list: string): string[] {
  const ids: string[] = [];
  for (const id of list.split(',')) {
    if (ids.includes(id)) continue;
    if (ids.length === MAX_LAYERS_PER_TILE) throw new InvalidParameterError('layer', `a tile can combine at most ${MAX_LAYERS_PER_TILE} layers`);
    ids.push(id);
  }
  return ids;
}
