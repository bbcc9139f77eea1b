// Prepared statements against tilegate's one simple-protocol message, on the same tiles and pool.
// node-postgres sends one extended-protocol query per round trip (no pipelining), so a prepared
// tile statement costs three: BEGIN with the settings, Bind/Execute of the statement (prepared
// once per connection and layer, z/x/y as parameters), COMMIT. In exchange PostgreSQL skips
// parsing and planning. (A binary result, the tile as bytes rather than hex text, would be the
// other gain; node-postgres's parser refuses binary mode: "Binary mode not supported yet".)
'use strict';
const { combine } = require('./measure');
const { tileParts, openTransactionSql } = require('./tilegate-sql');

/** The tile statement with z, x and y as parameters $1..$3, for PREPARE. */
function parameterised(statement, { z, x, y }) {
  const text = statement.replaceAll(`ST_TileEnvelope(${z}, ${x}, ${y}`, 'ST_TileEnvelope($1::pg_catalog.int4, $2::pg_catalog.int4, $3::pg_catalog.int4');
  if (text === statement) throw new Error('no tile envelope to parameterise');
  return text;
}

function makeTileFns({ ceiling, role, claims, params }) {
  const { pool, layers } = ceiling;
  const simple = async (tile) => {
    const { settings, statement } = tileParts(layers, tile, role, claims, params);
    const client = await pool.connect();
    try {
      const results = await client.query(`${openTransactionSql(settings)}; ${statement}; COMMIT`);
      if (!Buffer.isBuffer(results[2].rows[0].mvt)) throw new Error('no tile');
    } finally {
      client.release();
    }
  };
  const prepared = async (tile) => {
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
  return { simple, prepared };
}

async function measurePrepared({ ceiling, tiles, concurrency, passes, role, claims, params, fixedWork }) {
  const fns = makeTileFns({ ceiling, role, claims, params });
  const kinds = Object.keys(fns);
  const parts = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let pass = 0; pass < passes; pass++) {
    for (const kind of pass % 2 === 0 ? kinds : [...kinds].reverse()) parts[kind].push(await fixedWork({ tiles, concurrency, passes: 1 }, fns[kind]));
  }
  return Object.fromEntries(kinds.map((kind) => {
    const result = combine(parts[kind]);
    delete result.latencies;
    return [kind, result];
  }));
}

module.exports = { measurePrepared, parameterised };
