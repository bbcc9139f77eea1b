// tilegate as users run it: the built server in its own process.
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { join } = require('node:path');

const MAIN = join(__dirname, '..', 'dist', 'apps', 'tilegate', 'apps', 'tilegate', 'src', 'main.js');
const { SERVER_NODE_FLAGS, SERVER_MALLOC_ENV } = require('../scripts/lib/server-launch');

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server (with command-line `args`, e.g. a config file), and resolves once `firstPath` answers 200: cold start to first tile. */
async function startTilegate(env, firstPath, args = []) {
  const port = await freePort();
  const started = Date.now();
  // As `npm start` runs it: package.json's node flags (and any extra for profiling) and malloc settings.
  const flags = [...SERVER_NODE_FLAGS, ...(process.env.TILEGATE_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...flags, MAIN, ...args], {
    env: { ...SERVER_MALLOC_ENV, ...process.env, TS_HTTPHOST: '127.0.0.1', TS_HTTPPORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tilegate exited: ${stderr}`);
    const ok = await fetch(`${baseUrl}${firstPath}`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    baseUrl,
    pid: child.pid,
    coldStartMs: Date.now() - started,
    /** Peak resident set size so far (VmHWM), in MB. */
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, resolving once the child has exited (at once if it already has). */
function stopChild(child) {
  return new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))));
}

module.exports = { startTilegate, stopChild };
