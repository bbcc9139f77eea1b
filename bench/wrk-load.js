// wrk (Debian's package: C, one epoll thread) as a second load generator for warm hits. The
// benchmark's own client (measure.js: Node.js and undici) spends about 150 µs of CPU a request on
// this machine, against about 45 for wrk; on two cores shared with the server and PostgreSQL, a
// cache hit costs the server little more than that, so the client's share decides much of what is
// measured. Both are reported: undici's numbers compare with every other run, wrk's say what the
// server does when its clients are elsewhere. wrk runs for a time, not a fixed number of tiles, and
// takes the tiles in turn, round and round; bench/wrk-tiles.lua counts where each came from.
'use strict';
const { execFile, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const SCRIPT = join(__dirname, 'wrk-tiles.lua');

/** Whether wrk is installed (scripts/ensure-wrk.sh installs it where it can). */
function wrkAvailable() {
  return !spawnSync('wrk', ['--version']).error;
}

/** Tiles/s, p50/p99 (ms), errors and where the tiles came from, for `seconds` of `concurrency` keep-alive connections. */
function measureWrk({ baseUrl, tiles, concurrency, seconds, token }) {
  const dir = mkdtempSync(join(tmpdir(), 'tilegate-wrk-'));
  const pathsFile = join(dir, 'paths.txt');
  writeFileSync(pathsFile, tiles.map((t) => `/${t.layer}/${t.z}/${t.x}/${t.y}.pbf\n`).join(''));
  const args = ['-t1', `-c${concurrency}`, `-d${seconds}s`, '--timeout', '10s', '-s', SCRIPT, baseUrl];
  const env = { ...process.env, WRK_PATHS: pathsFile, WRK_TOKEN: token ?? '' };
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (err) return reject(new Error(`wrk failed: ${stderr || err.message}`));
      const line = stdout.trim().split('\n').pop();
      const run = JSON.parse(line);
      const total = Object.values(run.sources).reduce((a, b) => a + b, 0);
      const hits = (run.sources.hit ?? 0) + (run.sources['hit-shared'] ?? 0);
      const secondsRun = run.durationUs / 1e6;
      resolve({
        client: 'wrk',
        tilesPerSecond: run.requests / secondsRun,
        p50: run.p50Us / 1000,
        p99: run.p99Us / 1000,
        errors: run.socketErrors + run.badStatus,
        requests: run.requests,
        seconds: secondsRun,
        sources: run.sources,
        hitRate: total ? hits / total : 0,
      });
    });
  });
}

module.exports = { wrkAvailable, measureWrk };
