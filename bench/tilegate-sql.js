// The message tilegate sends for a tile, taken from the built server itself (dist/), so the
// ceiling measures exactly the same SQL: BEGIN, the settings (pinned search_path, statement
// timeout, role and claims), the tile statement and COMMIT, in one simple-protocol message.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const DIST = join(__dirname, '..', 'dist', 'apps', 'tilegate');
const database = (file) => require(join(DIST, 'libs', 'database', 'src', file));
const { wholeTransactionSql, openTransactionSql, roleSettings, requestBaseSettings } = database('transaction-sql.js');
const { readDatabaseInfo, CATALOG_SEARCH_PATH } = database('database-info.js');
const { escapeIdentifier } = database('sql-escape.js');
const { verifiedClaims } = database('verified-claims.js');
const tiles = (file) => require(join(DIST, 'apps', 'tilegate', 'src', 'tiles', file));
const { tileContext, WEB_MERCATOR } = tiles('table-tile.sql.js');
const { tileStatement } = tiles('tile-statement.js');
const { tableLayerFromRow } = require(join(DIST, 'apps', 'tilegate', 'src', 'catalog', 'layer-rows.js'));
const { parseFilter } = require(join(DIST, 'apps', 'tilegate', 'src', 'filter', 'index.js'));
const TABLE_LAYERS_SQL = readFileSync(join(DIST, 'apps', 'tilegate', 'src', 'catalog', 'sql', 'table-layers.sql'), 'utf8');

/** The layers and the database facts tilegate would read at start (as the login role). */
async function loadLayers(pool) {
  const client = await pool.connect();
  try {
    const info = await readDatabaseInfo(client);
    await client.query(`SET search_path = ${CATALOG_SEARCH_PATH}`);
    const { rows } = await client.query(TABLE_LAYERS_SQL.replaceAll('@postgis@', escapeIdentifier(info.postgisSchema)));
    await client.query('RESET search_path');
    return { info, layers: new Map(rows.map((row) => [`${row.schema}.${row.name}`, tableLayerFromRow(row)])) };
  } finally {
    client.release();
  }
}

const everyKey = { settable: () => true };

/**
 * What one tile request costs tilegate in SQL: one message; the tile is its third result. A tile
 * with `cql` gets tilegate's compiled filter; with `useHand`, its `byHand` predicate instead.
 */
function tileMessage(loaded, tile, role, claims, params, options = {}) {
  const { settings, statement } = tileParts(loaded, tile, role, claims, params, options);
  return wholeTransactionSql(settings, statement);
}

/** The message's parts: the transaction's settings and the tile statement. */
function tileParts({ info, layers }, tile, role, claims, params, { useHand = false } = {}) {
  const layer = layers.get(tile.layer);
  const filter = tile.cql && !useHand ? { ast: parseFilter(tile.cql), srid: 4326 } : null;
  // As settingsFor makes them with no parameters given: every property, the id column twice.
  const columns = layer.idColumn ? [layer.idColumn, ...layer.properties.map((p) => p.name)] : layer.properties.map((p) => p.name);
  const layerSettings = { limit: params.limit, resolution: params.resolution, buffer: params.buffer, columns };
  const query = { text: tileStatement([{ kind: 'table', layer, settings: layerSettings }], filter, tileContext(tile, WEB_MERCATOR, info.postgisSchema)) };
  if (useHand && tile.byHand) query.text = query.text.replace(/(\n\s*WHERE [^\n]*)/, `$1\n      AND (${tile.byHand})`);
  const settings = [
    ...requestBaseSettings(info.requestSearchPath, 10000),
    ...roleSettings(role, claims ? verifiedClaims(JSON.stringify(claims), claims) : null, everyKey, []),
  ];
  return { settings, statement: query.text };
}

module.exports = { loadLayers, tileMessage, tileParts, openTransactionSql };
