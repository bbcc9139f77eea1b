// Load generators: the SQL ceiling (a node-postgres pool, no HTTP) and HTTP (undici keep-alive
// connections), both taking tiles from one shared queue at the same concurrency.
'use strict';
const { Pool: UndiciPool } = require('undici');
const { Pool } = require('pg');
const { loadLayers, tileMessage } = require('./tilegate-sql');
const { tilePath } = require('./tile-list');

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Tiles/s and latency percentiles from raw counts; `latencies` sorted. */
function summarize({ seconds, requests, errors, latencies }) {
  return { tilesPerSecond: requests / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, requests, seconds, latencies };
}

/** Several measurements of the same thing as one: their tiles over their summed time. */
function combine(parts) {
  const sum = (key) => parts.reduce((total, part) => total + part[key], 0);
  const latencies = parts.flatMap((part) => part.latencies).sort((a, b) => a - b);
  return summarize({ seconds: sum('seconds'), requests: sum('requests'), errors: sum('errors'), latencies });
}

/**
 * The ceiling: tilegate's exact statements, role switch included, straight to PostgreSQL.
 * Fixed work, like measureHttp: `passes` times through the tile list, so both do the same tiles.
 */
async function measureSql({ ceiling, tiles, concurrency, passes, role, claims, params, useHand }) {
  const { pool, layers } = ceiling;
  return fixedWork({ tiles, concurrency, passes }, async (tile) => {
    const message = tileMessage(layers, tile, role, claims, params, { useHand });
    const client = await pool.connect();
    try {
      const results = await client.query(message);
      if (!Buffer.isBuffer(results[2].rows[0].mvt)) throw new Error('no tile');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });
}

/**
 * The same fixed work for both sides: `concurrency` workers take tiles from one shared queue,
 * `passes` times through the list, each timing its own tiles; `makeTile` throws on a failure.
 */
async function fixedWork({ tiles, concurrency, passes }, makeTile) {
  const total = tiles.length * passes;
  let next = 0;
  let done = 0;
  let errors = 0;
  const latencies = [];
  const worker = async () => {
    while (next < total) {
      const tile = tiles[next++ % tiles.length];
      const started = process.hrtime.bigint();
      try {
        await makeTile(tile);
        done++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      } catch {
        errors++;
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return summarize({ seconds, requests: done, errors, latencies });
}

/**
 * The ceiling's connections, opened once and kept, as tilegate keeps its pool: a pool opened per
 * measurement made every run pay new backends' start-up (PostGIS and PROJ caches) that tilegate's
 * long-lived connections had already paid.
 */
async function openCeiling(url, poolSize) {
  const pool = new Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 0 });
  return { pool, layers: await loadLayers(pool), close: () => pool.end() };
}

/**
 * tilegate over HTTP: `concurrency` keep-alive connections (an undici pool: the Node.js team's
 * HTTP/1.1 client, cheaper per request than node:http, so the load generator takes less of the
 * CPU it shares with the server and PostgreSQL) taking tiles from one shared queue, exactly as the
 * ceiling's workers do, `passes` times through the list. Every body is read to the end, as a map
 * client would. (autocannon, used before, gives each connection a fixed share of the requests, so
 * connections that drew light tiles sit idle at the end, and it notices the end only at its next
 * one-second sample: both counted against tilegate.)
 */
async function measureHttp({ baseUrl, tiles, concurrency, passes, token }) {
  const pool = new UndiciPool(baseUrl, { connections: concurrency, pipelining: 1, headersTimeout: 60000, bodyTimeout: 60000 });
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  try {
    return await fixedWork({ tiles, concurrency, passes }, async (tile) => {
      const query = tile.cql ? `?filter=${encodeURIComponent(tile.cql)}` : '';
      const { statusCode, body } = await pool.request({ method: 'GET', path: `${tilePath(tile)}${query}`, headers });
      await body.dump({ limit: Infinity });
      if (statusCode !== 200) throw new Error(`status ${statusCode}`);
    });
  } finally {
    await pool.close();
  }
}

module.exports = { openCeiling, measureSql, measureHttp, combine, fixedWork };
