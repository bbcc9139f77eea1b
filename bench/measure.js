// Load generators: the SQL ceiling (a node-postgres pool, no HTTP) and HTTP (autocannon), both
// cycling through the same tile list at the same concurrency.
'use strict';
const autocannon = require('autocannon');
const { Pool } = require('pg');
const { loadLayers, tileStatements } = require('./tilegate-sql');

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The ceiling: tilegate's exact statements, role switch included, straight to PostgreSQL.
 * Fixed work, like measureHttp: `passes` times through the tile list, so both do the same tiles.
 */
async function measureSql({ url, tiles, concurrency, passes, poolSize, role, claims, params }) {
  const pool = new Pool({ connectionString: url, max: poolSize });
  const layers = await loadLayers(pool);
  const total = tiles.length * passes;
  let next = 0;
  let done = 0;
  let errors = 0;
  const latencies = [];
  const worker = async () => {
    while (next < total) {
      const tile = tiles[next++ % tiles.length];
      const { session, query } = tileStatements(layers, tile, role, claims, params);
      const started = process.hrtime.bigint();
      const client = await pool.connect();
      try {
        await client.query(session);
        await client.query(query.text, query.values);
        await client.query('COMMIT');
        done++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      } catch (err) {
        errors++;
        await client.query('ROLLBACK').catch(() => undefined);
      } finally {
        client.release();
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { tilesPerSecond: done / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, requests: done };
}

/** tilegate over HTTP, with autocannon, optionally with a bearer token: `passes` times through the list. */
async function measureHttp({ baseUrl, tiles, concurrency, passes, token, path }) {
  let next = 0;
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const started = Date.now();
  const result = await autocannon({
    url: baseUrl,
    connections: concurrency,
    amount: tiles.length * passes,
    timeout: 60,
    headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          if (path) request.path = path;
          else {
            const tile = tiles[next++ % tiles.length];
            request.path = `/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.pbf`;
          }
          return request;
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    tilesPerSecond: ok / ((Date.now() - started) / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: ok,
  };
}

module.exports = { measureSql, measureHttp };
