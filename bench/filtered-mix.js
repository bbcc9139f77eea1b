// The filtered mix: the benchmark's tiles with realistic "show only..." filters, each also written
// by hand in SQL, so the run shows whether a compiled filter costs PostgreSQL more than the same
// predicate typed into the tile statement (it must not: same operators, same index use).
'use strict';

const FILTERS = {
  'bench.points': [
    { cql: 'kind IN (1, 2, 3)', byHand: 't."kind" IN (1, 2, 3)' },
    { cql: "kind < 5 AND name LIKE 'point 1%'", byHand: `t."kind" < 5 AND t."name" LIKE 'point 1%'` },
    { cql: 'S_INTERSECTS(geom, BBOX(-30, -60, 60, 70))', byHand: 't."geom" && ST_MakeEnvelope(-30, -60, 60, 70, 4326) AND ST_Intersects(t."geom", ST_MakeEnvelope(-30, -60, 60, 70, 4326))' },
  ],
  'bench.countries': [
    { cql: "name LIKE 'S%' OR name = 'France'", byHand: `t."name" LIKE 'S%' OR t."name" = 'France'` },
    { cql: 'id > 500', byHand: 't."id" > 500' },
  ],
};

/** The tile list, each tile given one of its layer's filters in turn. */
function filteredTiles(tiles) {
  const turn = {};
  return tiles.map((tile) => {
    const choices = FILTERS[tile.layer];
    const i = (turn[tile.layer] = ((turn[tile.layer] ?? -1) + 1) % choices.length);
    return { ...tile, ...choices[i] };
  });
}

module.exports = { filteredTiles, FILTERS };
