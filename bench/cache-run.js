// The tile cache, measured against the uncached server in the same run: the same tiles, with a
// token and anonymously, cold (every tile a miss), warm (every tile cached), and a pan/zoom trace
// where about 70 % of requests repeat a tile asked before. The cached server runs as users would
// run it: sql/tile-cache-invalidation.sql installed and the tables watched, so tiles live until
// their data changes; the RLS layer (countries, by tenant claim) marked Cache = "claims". Warm
// hits are also read against a bare Fastify serving the same bytes (bench/bare-tile-server.js).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { fork } = require('node:child_process');
const { Pool: UndiciPool } = require('undici');
const { fixedWork, measureHttp } = require('./measure');
const { startTilegate, stopChild } = require('./server-process');
const { measureWrk, wrkAvailable } = require('./wrk-load');
const { tilePath } = require('./tile-list');

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');

/** Installs the invalidation triggers and writes the cached server's config file; returns its path. */
async function prepareCachedDeployment(db) {
  await db.admin(INVALIDATION_SQL);
  await db.admin("SELECT tilegate_cache.watch('bench.points'); SELECT tilegate_cache.watch('bench.countries')");
  const file = join(tmpdir(), `tilegate-bench-cache-${process.pid}.toml`);
  writeFileSync(file, '[[Layer]]\nId = "bench.countries"\nCache = "claims"\n');
  return file;
}

/** A server with the cache; resolves once the listener has told it which layers are watched. */
async function startCachedServer(env, configFile, first) {
  const path = tilePath(first);
  // With /metrics, as operators run it: wrk's runs read their hit rate from there (wrk-load.js).
  const server = await startTilegate({ ...env, TS_ENABLEMETRICS: 'true' }, path, ['--config', configFile]);
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${server.baseUrl}${path}`);
    await response.arrayBuffer();
    if (response.headers.get('tilegate-cache') !== 'off') return server;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await server.stop();
  throw new Error('the cached server never cached a watched layer (is the invalidation script installed?)');
}

/** measureHttp's fixed work, counting where each tile came from (Tilegate-Cache). */
async function measureCachedHttp({ baseUrl, tiles, concurrency, passes, token, acceptEncoding }) {
  const pool = new UndiciPool(baseUrl, { connections: concurrency, pipelining: 1, headersTimeout: 60000, bodyTimeout: 60000 });
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) };
  const sources = {};
  try {
    const result = await fixedWork({ tiles, concurrency, passes }, async (tile) => {
      const response = await pool.request({ method: 'GET', path: tilePath(tile), headers });
      await response.body.dump({ limit: Infinity });
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
      const source = response.headers['tilegate-cache'] ?? 'none';
      sources[source] = (sources[source] ?? 0) + 1;
    });
    const total = Object.values(sources).reduce((a, b) => a + b, 0);
    const hits = (sources.hit ?? 0) + (sources['hit-shared'] ?? 0);
    delete result.latencies;
    return { ...result, sources, hitRate: total ? hits / total : 0 };
  } finally {
    await pool.close();
  }
}

/**
 * A pan/zoom trace, deterministic: each request repeats one of the tiles asked before with
 * probability `repeatShare` (the tiles a map asks again after a pan back or a zoom out), else
 * asks a tile not asked yet: the listed tiles, then their neighbours.
 */
function panZoomTrace(tiles, { repeatShare = 0.7 } = {}) {
  const unique = new Map();
  for (const t of tiles) {
    const size = 2 ** t.z;
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]]) {
      const tile = { layer: t.layer, z: t.z, x: (t.x + dx + size) % size, y: Math.min(size - 1, Math.max(0, t.y + dy)) };
      unique.set(`${tile.layer}/${tile.z}/${tile.x}/${tile.y}`, tile);
    }
  }
  const fresh = [...unique.values()];
  // Every tile asked once, and repeats making up `repeatShare` of the trace.
  const length = Math.floor(fresh.length / (1 - repeatShare));
  const seen = [];
  const trace = [];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  while (trace.length < length) {
    const repeat = seen.length > 0 && (random() < repeatShare || fresh.length === 0);
    const tile = repeat ? seen[Math.floor(random() * Math.min(seen.length, 200)) + Math.max(0, seen.length - 200)] : fresh.shift();
    if (!repeat) seen.push(tile);
    trace.push(tile);
  }
  return trace;
}

/**
 * bench/bare-tile-server.js holding the bytes the cached server answers `tiles` with for `token`:
 * the hit ceiling, measured with the same client and the same requests.
 */
async function startBareTileServer(cachedBaseUrl, tiles, token) {
  const bytes = {};
  for (const tile of tiles) {
    const path = tilePath(tile);
    // identity: as the measured requests (no Accept-Encoding), so the cached server makes no gzip forms.
    const response = await fetch(`${cachedBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' } });
    bytes[path] = Buffer.from(await response.arrayBuffer()).toString('base64');
  }
  const child = fork(join(__dirname, 'bare-tile-server.js'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the bare tile server exited (${code})`)));
    child.send(bytes);
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

module.exports = { prepareCachedDeployment, startCachedServer, measureCachedHttp, panZoomTrace, startBareTileServer };

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/**
 * Every cache measurement of the run. `uncached` is the run's server with TileCacheSize = 0,
 * measured again here on the same tiles at the same concurrency, so each ratio is same-run.
 */
async function measureTileCache({ db, uncached, env, tiles, token, concurrencies, uncachedPasses, cachedPasses, warmUpPasses, wrkSeconds, log }) {
  const configFile = await prepareCachedDeployment(db);
  // Warm hits are also measured with wrk where it is installed (see wrk-load.js).
  const withWrk = wrkAvailable();
  if (!withWrk) log('\n(wrk is not installed: warm hits are measured with undici only; scripts/ensure-wrk.sh installs it)');
  const cacheMb = Number(env.TS_TILECACHESIZE ?? 256);
  const results = { tileCacheSizeMb: cacheMb, warm: [], mixed: undefined, cold: undefined };
  let cached = await startCachedServer(env, configFile, tiles[0]);
  let bare;
  try {
    results.cold = await measureCachedHttp({ baseUrl: cached.baseUrl, tiles: tiles.slice(1), concurrency: concurrencies[0], passes: 1, token });
    const coldUncached = await measureCachedHttp({ baseUrl: uncached.baseUrl, tiles: tiles.slice(1), concurrency: concurrencies[0], passes: 1, token });
    results.cold.uncachedTilesPerSecond = coldUncached.tilesPerSecond;
    bare = await startBareTileServer(cached.baseUrl, tiles, token);
    for (const concurrency of concurrencies) {
      const run = { concurrency };
      await measureHttp({ baseUrl: bare.baseUrl, tiles, concurrency, passes: warmUpPasses, token });
      for (const [who, withToken] of [['token', token], ['anonymous', undefined]]) {
        // Every tile cached for this identity, and the hit path as warm (JIT) as the uncached
        // server's, which has served thousands of tiles by now.
        await measureCachedHttp({ baseUrl: cached.baseUrl, tiles, concurrency, passes: warmUpPasses, token: withToken });
        const warm = await measureCachedHttp({ baseUrl: cached.baseUrl, tiles, concurrency, passes: cachedPasses, token: withToken });
        const warmWrk = withWrk ? await measureWrk({ baseUrl: cached.baseUrl, tiles, concurrency, seconds: wrkSeconds, token: withToken, countCache: true }) : undefined;
        const plain = await measureCachedHttp({ baseUrl: uncached.baseUrl, tiles, concurrency, passes: uncachedPasses, token: withToken });
        run[who] = { cached: warm, cachedWrk: warmWrk, uncached: plain, speedup: warm.tilesPerSecond / plain.tilesPerSecond };
        if (who === 'token') {
          const ceiling = await measureHttp({ baseUrl: bare.baseUrl, tiles, concurrency, passes: cachedPasses, token });
          delete ceiling.latencies;
          run.bare = ceiling;
          run.tokenOverBare = warm.tilesPerSecond / ceiling.tilesPerSecond;
          if (withWrk) {
            run.bareWrk = await measureWrk({ baseUrl: bare.baseUrl, tiles, concurrency, seconds: wrkSeconds, token });
            run.tokenOverBareWrk = warmWrk.tilesPerSecond / run.bareWrk.tilesPerSecond;
          }
        }
      }
      results.warm.push(run);
    }
    await bare.stop();
    bare = undefined;
    // Browsers ask for gzip: a pass per identity as they would, so every cached tile also holds
    // its gzip form when the peak is read (the measured requests ask for none).
    results.gzipPass = [];
    for (const withToken of [token, undefined]) {
      results.gzipPass.push(await measureCachedHttp({ baseUrl: cached.baseUrl, tiles, concurrency: concurrencies[0], passes: 1, token: withToken, acceptEncoding: 'gzip' }));
    }
    results.warmPeakRssMb = cached.peakRssMb();
    // The trace starts with nothing cached for its identity: a new server, its JIT warmed on
    // anonymous requests (cached apart: another role), then the trace with the token.
    await cached.stop();
    cached = await startCachedServer(env, configFile, tiles[0]);
    await measureCachedHttp({ baseUrl: cached.baseUrl, tiles, concurrency: concurrencies[0], passes: warmUpPasses });
    const trace = panZoomTrace(tiles);
    const mixedCached = await measureCachedHttp({ baseUrl: cached.baseUrl, tiles: trace, concurrency: concurrencies[0], passes: 1, token });
    const mixedUncached = await measureCachedHttp({ baseUrl: uncached.baseUrl, tiles: trace, concurrency: concurrencies[0], passes: 1, token });
    results.mixed = { requests: trace.length, concurrency: concurrencies[0], cached: mixedCached, uncached: mixedUncached, speedup: mixedCached.tilesPerSecond / mixedUncached.tilesPerSecond };
    results.peakRssMb = Math.max(results.warmPeakRssMb, cached.peakRssMb());
    results.memoryLimitMb = cacheMb + 150;
  } finally {
    await bare?.stop();
    await cached.stop();
  }
  report(results, log);
  return results;
}

function report(results, log) {
  const line = (name, r) => log(`  ${name.padEnd(34)} ${fmt(r.tilesPerSecond).padStart(8)} ${fmt(r.p50, 2).padStart(8)} ${fmt(r.p99, 2).padStart(8)} ${String(r.errors).padStart(7)} ${r.hitRate === undefined ? '' : fmt(r.hitRate * 100, 1).padStart(7)}`);
  log(`\ntile cache (TileCacheSize ${results.tileCacheSizeMb} MB, invalidation triggers installed)`);
  log('  what                                tiles/s   p50 ms   p99 ms  errors  hit %');
  line(`cold, c${results.warm[0]?.concurrency}, token (cached server)`, results.cold);
  log(`  (the uncached server, same tiles: ${fmt(results.cold.uncachedTilesPerSecond)} tiles/s)`);
  for (const run of results.warm) {
    for (const who of ['token', 'anonymous']) {
      line(`warm, c${run.concurrency}, ${who}`, run[who].cached);
      if (run[who].cachedWrk) line(`warm, c${run.concurrency}, ${who} (wrk)`, run[who].cachedWrk);
      line(`uncached, c${run.concurrency}, ${who}`, run[who].uncached);
      log(`  warm / uncached: ${fmt(run[who].speedup, 2)}`);
      if (who === 'token') {
        line(`bare Fastify, same bytes, c${run.concurrency}`, run.bare);
        log(`  warm with a token / bare Fastify: ${fmt(run.tokenOverBare, 2)}`);
        if (run.bareWrk) {
          line(`bare Fastify, same bytes, c${run.concurrency} (wrk)`, run.bareWrk);
          log(`  with wrk, warm with a token / bare Fastify: ${fmt(run.tokenOverBareWrk, 2)}`);
        }
      }
    }
  }
  const m = results.mixed;
  line(`pan/zoom trace (${m.requests} req), c${m.concurrency}, cached`, m.cached);
  line(`pan/zoom trace, c${m.concurrency}, uncached`, m.uncached);
  log(`  trace cached / uncached: ${fmt(m.speedup, 2)}`);
  log(`  cached server peak RSS: ${fmt(results.peakRssMb)} MB (limit TileCacheSize + 150 = ${results.memoryLimitMb} MB), with every warm tile also asked for gzip`);
}

module.exports.measureTileCache = measureTileCache;
