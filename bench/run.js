// npm run bench [-- --quick] [--concurrency 8,32] [--passes 6] [--pool 4] [--points N] [--per-zoom N] [--tables N]
// Measures tilegate against the database's own speed: the same tile SQL, in the same
// role-switching transaction, sent straight to PostgreSQL (the ceiling), then over HTTP.
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { cpus, totalmem } = require('node:os');
const { join } = require('node:path');
const { sign } = require('jsonwebtoken');
const { createBenchDatabase, addManyTables } = require('./dataset');
const { buildTileList, tilePath } = require('./tile-list');
const { openCeiling, measureSql, measureHttp, combine } = require('./measure');
const { startTilegate } = require('./server-process');
const { measureRequestScope } = require('./request-scope');
const { cpuSnapshot, cpuPerTile } = require('./cpu-usage');
const { measureFilteredMix } = require('./filtered-run');
const { preparePgbench, measurePgbench } = require('./pgbench-ceiling');
const { measurePrepared } = require('./prepared-run');
const { measureTileCache } = require('./cache-run');

function options(argv) {
  const quick = argv.includes('--quick');
  const value = (name, fallback) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : fallback;
  };
  return {
    quick,
    adminUrl: process.env.TILEGATE_BENCH_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
    points: Number(value('points', quick ? 100000 : 1000000)),
    perZoom: Number(value('per-zoom', quick ? 8 : 60)),
    concurrency: String(value('concurrency', '8,32')).split(',').map(Number),
    passes: Number(value('passes', quick ? 2 : 6)),
    pool: Number(value('pool', 4)),
    tables: Number(value('tables', quick ? 300 : 2000)),
  };
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function main() {
  const opts = options(process.argv.slice(2));
  const log = (...args) => console.log(...args);
  log(`tilegate benchmark${opts.quick ? ' (quick)' : ''}: ${opts.points} points, ${cpus().length} cores, concurrency ${opts.concurrency.join(' and ')}, pool ${opts.pool}, ${opts.passes} pass(es) over the tile list per run`);
  let t = Date.now();
  const db = await createBenchDatabase(opts.adminUrl, { points: opts.points });
  log(`dataset ready in ${((Date.now() - t) / 1000).toFixed(1)}s (${db.name})`);
  const results = { date: new Date().toISOString(), machine: { cores: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) }, options: opts, runs: [] };
  let server;
  let sqlCeiling;
  try {
    const tiles = await buildTileList(db, { perZoom: opts.perZoom });
    log(`${tiles.length} tiles over zooms 0-14 (${tiles.filter((x) => x.layer === 'bench.points').length} points, ${tiles.filter((x) => x.layer === 'bench.countries').length} polygons)`);
    const secret = `bench-${Math.random().toString(36).slice(2)}-secret-long-enough-for-hs256`;
    const claims = { role: db.roles.member, sub: 'bench-user', tenant: 'b' };
    const token = sign(claims, secret, { expiresIn: '2h' });
    const params = { limit: 50000, resolution: 4096, buffer: 256, properties: null };
    const first = tiles[tiles.length - 1];

    t = Date.now();
    const serverEnv = { DATABASE_URL: db.authenticatorUrl, TS_JWTSECRET: secret, TS_ANONROLE: db.roles.anon, TS_DBPOOLMAXCONNS: String(opts.pool), TS_MAXFEATURESPERTILE: '50000' };
    // The server every ratio but the cache's compares with: no tile cache, every tile from PostgreSQL.
    server = await startTilegate({ ...serverEnv, TS_TILECACHESIZE: '0' }, tilePath(first));
    results.coldStartMs = server.coldStartMs;
    log(`cold start to first tile: ${server.coldStartMs} ms`);

    // Warm up both sides alike: PostgreSQL's caches (so no measured run is the one that reads from
    // disk), and the server's JIT and catalog, as a server that has been running would be.
    sqlCeiling = await openCeiling(db.authenticatorUrl, opts.pool);
    const pgbenchCounts = await preparePgbench(db, tiles);
    await measurePgbench({ url: db.authenticatorUrl, counts: pgbenchCounts, concurrency: 4, passes: 1, role: db.roles.member, claims });
    await measureSql({ ceiling: sqlCeiling, tiles, concurrency: 4, passes: 1, role: db.roles.member, claims, params });
    await measureHttp({ baseUrl: server.baseUrl, tiles, concurrency: 4, passes: 1, token });
    await measureHttp({ baseUrl: server.baseUrl, tiles, concurrency: 4, passes: 1 });

    for (const concurrency of opts.concurrency) {
      // The machine's speed drifts (shared cores, other tenants), so the four measurements take
      // turns, one pass each, in alternating order (ABBA), and each is summed over its passes:
      // a slow minute then costs the ceiling and tilegate alike.
      const kinds = {
        ceiling: () => measureSql({ ceiling: sqlCeiling, tiles, concurrency, passes: 1, role: db.roles.member, claims, params }),
        pgbench: () => measurePgbench({ url: db.authenticatorUrl, counts: pgbenchCounts, concurrency, passes: 1, role: db.roles.member, claims }),
        withToken: () => measureHttp({ baseUrl: server.baseUrl, tiles, concurrency, passes: 1, token }),
        anonCeiling: () => measureSql({ ceiling: sqlCeiling, tiles, concurrency, passes: 1, role: db.roles.anon, claims: null, params }),
        anonymous: () => measureHttp({ baseUrl: server.baseUrl, tiles, concurrency, passes: 1 }),
      };
      const parts = { ceiling: [], pgbench: [], withToken: [], anonCeiling: [], anonymous: [] };
      const cpu = { ceiling: [], pgbench: [], withToken: [], anonCeiling: [], anonymous: [] };
      for (let pass = 0; pass < opts.passes; pass++) {
        const order = pass % 2 === 0 ? ['pgbench', 'ceiling', 'withToken', 'anonCeiling', 'anonymous'] : ['anonymous', 'anonCeiling', 'withToken', 'ceiling', 'pgbench'];
        for (const kind of order) {
          // Each measurement also records the CPU each party spent (see cpu-usage.js).
          const before = cpuSnapshot(server.pid);
          parts[kind].push(await kinds[kind]());
          cpu[kind].push([before, cpuSnapshot(server.pid)]);
        }
      }
      const summed = (kind) => {
        const result = combine(parts[kind]);
        const perTile = cpu[kind].map(([before, after]) => cpuPerTile(before, after, 1));
        const cpuMsPerTile = perTile.every(Boolean)
          ? Object.fromEntries(['client', 'server', 'postgres'].map((k) => [k, perTile.reduce((t, p) => t + p[k], 0) / result.requests]))
          : undefined;
        delete result.latencies;
        return { ...result, cpuMsPerTile };
      };
      const ceiling = summed('ceiling');
      const pgbench = summed('pgbench');
      const withToken = summed('withToken');
      const anonCeiling = summed('anonCeiling');
      const anonymous = summed('anonymous');
      const run = {
        concurrency,
        ceiling,
        pgbench,
        withToken,
        anonCeiling,
        anonymous,
        ratioWithToken: withToken.tilesPerSecond / ceiling.tilesPerSecond,
        ratioToPgbench: withToken.tilesPerSecond / pgbench.tilesPerSecond,
        ratioAnonymous: anonymous.tilesPerSecond / anonCeiling.tilesPerSecond,
      };
      results.runs.push(run);
      log(`\nconcurrency ${concurrency}`);
      log('  what                         tiles/s    p50 ms    p99 ms   errors   CPU ms/tile: client server postgres');
      for (const [name, r] of [['pgbench, pg_tileserv SQL', pgbench], ['SQL ceiling (member role)', ceiling], ['tilegate HTTP, token', withToken], ['SQL ceiling (anonymous)', anonCeiling], ['tilegate HTTP, anonymous', anonymous]]) {
        const cpu = r.cpuMsPerTile ? `${fmt(r.cpuMsPerTile.client, 2).padStart(19)} ${fmt(r.cpuMsPerTile.server, 2).padStart(6)} ${fmt(r.cpuMsPerTile.postgres, 2).padStart(8)}` : '';
        log(`  ${name.padEnd(28)} ${fmt(r.tilesPerSecond).padStart(7)} ${fmt(r.p50).padStart(9)} ${fmt(r.p99).padStart(9)} ${String(r.errors).padStart(8)} ${cpu}`);
      }
      log(`  ratio HTTP/ceiling: ${fmt(run.ratioWithToken, 3)} with a token, ${fmt(run.ratioAnonymous, 3)} anonymous`);
      log(`  ratio HTTP with a token / pgbench with pg_tileserv's SQL: ${fmt(run.ratioToPgbench, 3)}`);
    }
    // One simple-protocol message per tile against a prepared statement in three round trips.
    const prepared = await measurePrepared({ ceiling: sqlCeiling, tiles, concurrency: opts.concurrency[0], passes: Math.max(2, opts.passes / 2), role: db.roles.member, claims, params });
    results.preparedStatements = { concurrency: opts.concurrency[0], ...prepared, preparedOverSimple: prepared.prepared.tilesPerSecond / prepared.simple.tilesPerSecond };
    log(`\nprepared statements, concurrency ${opts.concurrency[0]}, member role, no HTTP`);
    log('  what                                  tiles/s    p50 ms    p99 ms   errors');
    for (const [name, r] of [["one simple message (tilegate's)", prepared.simple], ['prepared: BEGIN, Execute, COMMIT', prepared.prepared]]) {
      log(`  ${name.padEnd(37)} ${fmt(r.tilesPerSecond).padStart(7)} ${fmt(r.p50).padStart(9)} ${fmt(r.p99).padStart(9)} ${String(r.errors).padStart(8)}`);
    }
    log(`  prepared / simple: ${fmt(results.preparedStatements.preparedOverSimple, 3)}`);

    // The same tiles with "show only..." filters, at the first concurrency, with a token.
    const mix = await measureFilteredMix({ ceiling: sqlCeiling, server, tiles, concurrency: opts.concurrency[0], passes: opts.passes, role: db.roles.member, claims, params, token });
    results.filtered = mix;
    log(`\nfiltered mix, concurrency ${mix.concurrency}, with a token`);
    log('  what                                  tiles/s    p50 ms    p99 ms   errors');
    for (const [name, r] of [['SQL ceiling, predicates by hand', mix.byHand], ['SQL ceiling, compiled filters', mix.compiled], ['tilegate HTTP, ?filter=', mix.http]]) {
      log(`  ${name.padEnd(37)} ${fmt(r.tilesPerSecond).padStart(7)} ${fmt(r.p50).padStart(9)} ${fmt(r.p99).padStart(9)} ${String(r.errors).padStart(8)}`);
    }
    log(`  compiled filters / by hand: ${fmt(mix.compiledOverHand, 3)}; HTTP / compiled ceiling: ${fmt(mix.httpOverCompiled, 3)}`);
    results.peakRssMb = server.peakRssMb();
    log(`\nserver peak RSS under load: ${fmt(results.peakRssMb)} MB`);

    // The tile cache against the uncached server, same tiles, same run (cache-run.js).
    results.tileCache = await measureTileCache({
      db,
      uncached: server,
      env: serverEnv,
      tiles,
      token,
      concurrencies: opts.concurrency,
      uncachedPasses: Math.max(1, opts.passes / 2),
      cachedPasses: opts.quick ? 20 : 40,
      warmUpPasses: opts.quick ? 10 : 10,
      wrkSeconds: opts.quick ? 5 : 15,
      log,
    });

    await addManyTables(db, opts.tables);
    // Latency as a client sees it, to the last byte of the body (as curl's time_total); the body is
    // parsed apart, once, to check that every table is listed. The first answer (re-reading the
    // catalog after 2,000 tables appeared) is reported on its own.
    let started = process.hrtime.bigint();
    const firstBody = await (await fetch(`${server.baseUrl}/index.json`)).text();
    const firstMs = Number(process.hrtime.bigint() - started) / 1e6;
    const listed = Object.keys(JSON.parse(firstBody)).length;
    if (listed < opts.tables) throw new Error(`index.json lists ${listed} layers`);
    const catalogLatencies = [];
    for (let i = 0; i < 100; i++) {
      started = process.hrtime.bigint();
      const response = await fetch(`${server.baseUrl}/index.json`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`index.json answered ${response.status}`);
      catalogLatencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    catalogLatencies.sort((a, b) => a - b);
    results.catalog = { tables: opts.tables, p50: catalogLatencies[50], p99: catalogLatencies[98], firstMs };
    log(`/index.json with ${opts.tables} tables: p50 ${fmt(catalogLatencies[50])} ms, p99 ${fmt(catalogLatencies[98])} ms (first answer after they appeared: ${fmt(firstMs)} ms)`);
    // Measured apart from the database: only the framework's share differs.
    results.requestScope = await measureRequestScope(opts.quick ? 2 : 4);
    const rs = results.requestScope;
    log(`request-scoped providers: ${fmt(rs.scoped.requestsPerSecond, 0)} req/s vs ${fmt(rs.singleton.requestsPerSecond, 0)} as singletons on the same route (${fmt(rs.costPerRequestMicroseconds, 0)} µs a request); tilegate uses singletons, and controllers make each request's RoleTransaction`);
  } finally {
    await sqlCeiling?.close();
    await server?.stop();
    await db.drop();
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.date.replace(/[:.]/g, '-')}${opts.quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`\nresults: ${file}`);
}

main().catch((err) => {
  console.error(`bench: ${err.stack ?? err.message}`);
  process.exit(1);
});
