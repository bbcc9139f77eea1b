// The filtered mix, measured like the plain one (fixed work, alternating passes): the ceiling with
// each predicate written by hand, the ceiling with tilegate's compiled filter, and tilegate over
// HTTP with the filter in the URL, all with a token.
'use strict';
const { filteredTiles } = require('./filtered-mix');
const { measureSql, measureHttp, combine } = require('./measure');

async function measureFilteredMix({ ceiling, server, tiles, concurrency, passes, role, claims, params, token }) {
  const filtered = filteredTiles(tiles);
  const kinds = {
    byHand: () => measureSql({ ceiling, tiles: filtered, concurrency, passes: 1, role, claims, params, useHand: true }),
    compiled: () => measureSql({ ceiling, tiles: filtered, concurrency, passes: 1, role, claims, params }),
    http: () => measureHttp({ baseUrl: server.baseUrl, tiles: filtered, concurrency, passes: 1, token }),
  };
  const parts = { byHand: [], compiled: [], http: [] };
  for (let pass = 0; pass < passes; pass++) {
    const order = pass % 2 === 0 ? ['byHand', 'compiled', 'http'] : ['http', 'compiled', 'byHand'];
    for (const kind of order) parts[kind].push(await kinds[kind]());
  }
  const summed = Object.fromEntries(Object.entries(parts).map(([kind, runs]) => {
    const result = combine(runs);
    delete result.latencies;
    return [kind, result];
  }));
  return {
    concurrency,
    ...summed,
    compiledOverHand: summed.compiled.tilesPerSecond / summed.byHand.tilesPerSecond,
    httpOverCompiled: summed.http.tilesPerSecond / summed.compiled.tilesPerSecond,
  };
}

module.exports = { measureFilteredMix };
