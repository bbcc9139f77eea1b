/** Says where a tile came from (miss, hit, hit-shared, off), for operators and tests. */
export const CACHE_SOURCE_HEADER = 'Tilegate-Cache';
