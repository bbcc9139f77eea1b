// Load generators: the SQL ceiling (a node-postgres pool, no HTTP) and HTTP (node:http keep-alive
// connections), both taking tiles from one shared queue at the same concurrency.
'use strict';
const { Agent, request: httpRequest } = require('node:http');
const { Pool } = require('pg');
const { loadLayers, tileMessage } = require('./tilegate-sql');

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
      const message = tileMessage(layers, tile, role, claims, params);
      const started = process.hrtime.bigint();
      const client = await pool.connect();
      try {
        const results = await client.query(message);
        if (!Buffer.isBuffer(results[2].rows[0].mvt)) throw new Error('no tile');
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
  return summarize({ seconds, requests: done, errors, latencies });
}

/**
 * tilegate over HTTP: `concurrency` keep-alive connections taking tiles from one shared queue,
 * exactly as the ceiling's workers do, `passes` times through the list. (autocannon, used before,
 * gives each connection a fixed share of the requests, so connections that drew light tiles sit idle
 * at the end, and it notices the end only at its next one-second sample: both counted against
 * tilegate.)
 */
async function measureHttp({ baseUrl, tiles, concurrency, passes, token }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(baseUrl);
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const total = tiles.length * passes;
  let next = 0;
  let done = 0;
  let errors = 0;
  const latencies = [];
  const worker = async () => {
    while (next < total) {
      const tile = tiles[next++ % tiles.length];
      const started = process.hrtime.bigint();
      const status = await get(agent, { hostname, port, headers, path: `/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.pbf` });
      if (status === 200) {
        done++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      } else errors++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return summarize({ seconds, requests: done, errors, latencies });
}

/** One GET, body read to the end (as a map client would); resolves with the status, 0 on a network error. */
function get(agent, options) {
  return new Promise((resolve) => {
    const request = httpRequest({ ...options, agent, timeout: 60000 }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode));
      response.on('error', () => resolve(0));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(0));
    request.end();
  });
}

module.exports = { measureSql, measureHttp, combine };
