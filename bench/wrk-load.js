// wrk (Debian's package: C, one epoll thread) as a second load generator for warm hits. The
// benchmark's own client (measure.js: Node.js and undici) spends about 150 µs of CPU a request on
// this machine, against about 45 for wrk; on two cores shared with the server and PostgreSQL, where
// a cache hit costs the server about 200, the client's share decides much of what is measured. Both are reported: undici's numbers compare with every other run, wrk's say what the
// server does when its clients are elsewhere. wrk runs for a time, not a fixed number of tiles, and
// takes the tiles in turn, round and round. Where the tiles came from is read from the server's
// /metrics before and after (the cached server runs with EnableMetrics).
'use strict';
const { execFile, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { tilePath } = require('./tile-list');

const SCRIPT = join(__dirname, 'wrk-tiles.lua');

/** Whether wrk is installed (scripts/ensure-wrk.sh installs it where it can). */
function wrkAvailable() {
  return !spawnSync('wrk', ['--version']).error;
}

/** The tile cache's counts from /metrics: hits (every level), memory misses, and tiles answered `off`. */
async function cacheCounts(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const sum = (name) => text.split('\n').filter((l) => l.startsWith(name)).reduce((total, l) => total + Number(l.split(' ').pop()), 0);
  return { hit: sum('tilegate_tile_cache_hits_total'), miss: sum('tilegate_tile_cache_misses_total{level="memory"}'), off: sum('tilegate_tile_cache_uncached_total') };
}

/**
 * Tiles/s, p50/p99 (ms) and errors for `seconds` of `concurrency` keep-alive connections; with
 * `countCache`, also where the tiles came from (the server's /metrics, read before and after).
 */
async function measureWrk({ baseUrl, tiles, concurrency, seconds, token, countCache = false }) {
  const before = countCache ? await cacheCounts(baseUrl) : undefined;
  const result = await runWrk({ baseUrl, tiles, concurrency, seconds, token });
  if (!before) return result;
  const after = await cacheCounts(baseUrl);
  const sources = Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]));
  const total = sources.hit + sources.miss + sources.off;
  return { ...result, sources, hitRate: total ? sources.hit / total : 0 };
}

function runWrk({ baseUrl, tiles, concurrency, seconds, token }) {
  const dir = mkdtempSync(join(tmpdir(), 'tilegate-wrk-'));
  const pathsFile = join(dir, 'paths.txt');
  writeFileSync(pathsFile, tiles.map((tile) => `${tilePath(tile)}\n`).join(''));
  const args = ['-t1', `-c${concurrency}`, `-d${seconds}s`, '--timeout', '10s', '-s', SCRIPT, baseUrl];
  const env = { ...process.env, WRK_PATHS: pathsFile, WRK_TOKEN: token ?? '' };
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (err) return reject(new Error(`wrk failed: ${stderr || err.message}`));
      const line = stdout.trim().split('\n').pop();
      const run = JSON.parse(line);
      const secondsRun = run.durationUs / 1e6;
      resolve({
        client: 'wrk',
        tilesPerSecond: run.requests / secondsRun,
        p50: run.p50Us / 1000,
        p99: run.p99Us / 1000,
        errors: run.socketErrors + run.badStatus,
        requests: run.requests,
        seconds: secondsRun,
      });
    });
  });
}

module.exports = { wrkAvailable, measureWrk };
