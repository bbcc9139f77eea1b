// The message tilegate sends for a tile, taken from the built server itself (dist/), so the
// ceiling measures exactly the same SQL: BEGIN, the role switch, the tile statement and COMMIT,
// in one simple-protocol message (one round trip).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const DIST = join(__dirname, '..', 'dist', 'apps', 'tilegate');
const { roleStatementSql } = require(join(DIST, 'libs', 'database', 'src', 'role-session.sql.js'));
const { tableTileQuery } = require(join(DIST, 'apps', 'tilegate', 'src', 'tiles', 'table-tile.sql.js'));
const { tableLayerFromRow } = require(join(DIST, 'apps', 'tilegate', 'src', 'catalog', 'layer-rows.js'));
const TABLE_LAYERS_SQL = readFileSync(join(DIST, 'apps', 'tilegate', 'src', 'catalog', 'sql', 'table-layers.sql'), 'utf8');

async function loadLayers(pool) {
  const { rows } = await pool.query(TABLE_LAYERS_SQL);
  return new Map(rows.map((row) => [`${row.schema}.${row.name}`, tableLayerFromRow(row)]));
}

/** What one tile request costs tilegate in SQL: one message; the tile is its third result. */
function tileMessage(layers, tile, role, claims, params) {
  const query = tableTileQuery([layers.get(tile.layer)], tile, params);
  return roleStatementSql({ kind: 'switch', role, claims }, query.text);
}

module.exports = { loadLayers, tileMessage };
