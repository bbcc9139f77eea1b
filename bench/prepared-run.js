// Prepared statements against tilegate's one simple-protocol message, on the same tiles and pool.
// node-postgres sends one extended-protocol query per round trip (no pipelining), so a prepared
// tile statement costs three: BEGIN with the settings, Bind/Execute of the statement (prepared
// once per connection and layer, z/x/y as parameters), COMMIT. In exchange PostgreSQL skips
// parsing and planning. (A binary result, the tile as bytes rather than hex text, would be the
// other gain; node-postgres's parser refuses binary mode: "Binary mode not supported yet".)
'use strict';
const { combine, fixedWork, measureSql } = require('./measure');
const { tileParts, openTransactionSql } = require('./tilegate-sql');

/** The tile statement with z, x and y as parameters $1..$3, for PREPARE. */
function parameterised(statement, { z, x, y }) {
  const text = statement.replaceAll(`ST_TileEnvelope(${z}, ${x}, ${y}`, 'ST_TileEnvelope($1::pg_catalog.int4, $2::pg_catalog.int4, $3::pg_catalog.int4');
  if (text === statement) throw new Error('no tile envelope to parameterise');
  return text;
}

/** One tile as BEGIN with the settings, the prepared statement's Bind/Execute, COMMIT. */
function preparedTile({ ceiling, role, claims, params }) {
  const { pool, layers } = ceiling;
  return async (tile) => {
    const { settings, statement } = tileParts(layers, tile, role, claims, params);
    const client = await pool.connect();
    try {
      await client.query(openTransactionSql(settings));
      const name = `bench_tile_${tile.layer.replace(/\W/g, '_')}`;
      const { rows } = await client.query({ name, text: parameterised(statement, tile), values: [tile.z, tile.x, tile.y] });
      await client.query('COMMIT');
      if (!Buffer.isBuffer(rows[0].mvt)) throw new Error('no tile');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}

/** The one message (the SQL ceiling's measurement) and the prepared statement, in alternating passes. */
async function measurePrepared({ ceiling, tiles, concurrency, passes, role, claims, params }) {
  const prepared = preparedTile({ ceiling, role, claims, params });
  const kinds = {
    simple: () => measureSql({ ceiling, tiles, concurrency, passes: 1, role, claims, params }),
    prepared: () => fixedWork({ tiles, concurrency, passes: 1 }, prepared),
  };
  const parts = { simple: [], prepared: [] };
  for (let pass = 0; pass < passes; pass++) {
    for (const kind of pass % 2 === 0 ? ['simple', 'prepared'] : ['prepared', 'simple']) parts[kind].push(await kinds[kind]());
  }
  return Object.fromEntries(Object.entries(parts).map(([kind, runs]) => {
    const result = combine(runs);
    delete result.latencies;
    return [kind, result];
  }));
}

module.exports = { measurePrepared, parameterised };
