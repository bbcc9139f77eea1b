// The second ceiling: pgbench (PostgreSQL's own C client, -M prepared) running pg_tileserv's tile
// SQL in a role-switching transaction over the same tile list. A C client costs next to nothing
// per tile, so this says what PostgreSQL can do when the client is cheap and the SQL is
// pg_tileserv's; tilegate must make PostgreSQL do less per tile to come near it.
//
// The statement is pg_tileserv's table-layer template (pg_tileserv master cc7f57f,
// layer_table.go:454-474): ST_AsMVTGeom(ST_Transform(ST_Force2D(geom), 3857), clip, 4096, 256) over
// the rows where ST_Intersects(geom, ST_Transform(query box, 4326)), every column as a property and
// the id column again, LIMIT 50000. Its envelopes are pg_tileserv's (tile.go:66-85, bounds.go:23-38:
// the tile's box, and the box widened by the buffer and clamped to the world), which pg_tileserv
// writes into the SQL text; here pgbench binds them, looked up by tile number (one index lookup per
// tile, well under 1 % of a tile's cost).
'use strict';
const { execFile } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const WORLD = 20037508.3427892;
// (bench.whole_countries*: the sameness test's uncut polygons, test/tile-sameness.e2e-spec.ts.)
const COLUMNS = { 'bench.points': ['id', 'kind', 'name'], 'bench.countries': ['id', 'name', 'tenant'], 'bench.whole_countries': ['id', 'name'], 'bench.whole_countries_3857': ['id', 'name'] };
const SRID = { 'bench.whole_countries_3857': 3857 };

/** pg_tileserv's envelopes for a tile: clip and query boxes (resolution 4096, buffer 256). */
function envelopes({ z, x, y }) {
  const width = (2 * WORLD) / 2 ** z;
  const clip = [-WORLD + width * x, WORLD - width * (y + 1), -WORLD + width * (x + 1), WORLD - width * y];
  const margin = (width * 256) / 4096;
  const query = [Math.max(-WORLD, clip[0] - margin), Math.max(-WORLD, clip[1] - margin), Math.min(WORLD, clip[2] + margin), Math.min(WORLD, clip[3] + margin)];
  return { clip, query };
}

/** pg_tileserv's statement for one layer, with the envelopes as pgbench variables. */
function tileserverSql(layer) {
  const [schema, table] = layer.split('.');
  const properties = [...COLUMNS[layer], 'id'].map((c) => `"${c}"`).join(', ');
  return [
    `SELECT ST_AsMVT(mvtgeom, '${layer}', 4096, 'geom', 'id') FROM (`,
    '  SELECT ST_AsMVTGeom(ST_Transform(ST_Force2D(t."geom"), 3857), bounds.geom_clip, 4096, 256) AS "geom",',
    `    ${properties}`,
    `  FROM "${schema}"."${table}" t, (`,
    '    SELECT ST_MakeEnvelope(:cxmin, :cymin, :cxmax, :cymax, 3857) AS geom_clip,',
    '           ST_MakeEnvelope(:qxmin, :qymin, :qxmax, :qymax, 3857) AS geom_query) bounds',
    `  WHERE ST_Intersects(t."geom", ST_Transform(bounds.geom_query, ${SRID[layer] ?? 4326}))`,
    '  LIMIT 50000',
    ') mvtgeom;',
  ].join('\n');
}

/** pg_tileserv's statement for one tile, envelopes written in as pg_tileserv writes them (for comparisons). */
function tileserverStatement(layer, tile) {
  const { clip, query } = envelopes(tile);
  const values = { cxmin: clip[0], cymin: clip[1], cxmax: clip[2], cymax: clip[3], qxmin: query[0], qymin: query[1], qxmax: query[2], qymax: query[3] };
  return tileserverSql(layer).replace(/:([a-z]+)/g, (match, name) => (name in values ? String(values[name]) : match)).replace(/;$/, '');
}

/** One pgbench script per layer: pick a tile of that layer, switch role, make the tile, commit. */
function script(layer, count, role, claims) {
  const literal = (text) => `'${text.replace(/'/g, "''")}'`;
  const settings = [`set_config('role', ${literal(role)}, true)`, `set_config('request.jwt.claims', ${literal(JSON.stringify(claims ?? {}))}, true)`];
  for (const [key, value] of Object.entries(claims ?? {})) settings.push(`set_config(${literal(`jwt.claims.${key}`)}, ${literal(String(value))}, true)`);
  return [
    `\\set i random(1, ${count})`,
    `SELECT cxmin, cymin, cxmax, cymax, qxmin, qymin, qxmax, qymax FROM public.tilegate_pgbench_tiles WHERE layer = ${literal(layer)} AND i = :i \\gset`,
    'BEGIN;',
    `SELECT ${settings.join(', ')};`,
    tileserverSql(layer),
    'COMMIT;',
    '',
  ].join('\n');
}

/** The tile list as a table pgbench reads envelopes from, numbered per layer. */
async function preparePgbench(db, tiles) {
  await db.admin(`DROP TABLE IF EXISTS public.tilegate_pgbench_tiles;
    CREATE TABLE public.tilegate_pgbench_tiles (layer text, i int, cxmin float8, cymin float8, cxmax float8, cymax float8, qxmin float8, qymin float8, qxmax float8, qymax float8, PRIMARY KEY (layer, i));
    GRANT SELECT ON public.tilegate_pgbench_tiles TO PUBLIC`);
  const counts = {};
  const rows = tiles.map((tile) => {
    const i = (counts[tile.layer] = (counts[tile.layer] ?? 0) + 1);
    const { clip, query } = envelopes(tile);
    return `(${[`'${tile.layer}'`, i, ...clip, ...query].join(', ')})`;
  });
  for (let at = 0; at < rows.length; at += 500) await db.admin(`INSERT INTO public.tilegate_pgbench_tiles VALUES ${rows.slice(at, at + 500).join(', ')}`);
  await db.admin('ANALYZE public.tilegate_pgbench_tiles');
  return counts;
}

/**
 * `passes` times the tile list's worth of tiles (fixed work, as the other measurements), at
 * `concurrency`, each layer's script weighted by its share of the list. Resolves with tiles/s.
 */
function measurePgbench({ url, counts, concurrency, passes, role, claims }) {
  const dir = mkdtempSync(join(tmpdir(), 'tilegate-pgbench-'));
  const total = Object.values(counts).reduce((a, b) => a + b, 0) * passes;
  const args = ['-n', '-M', 'prepared', '-c', String(concurrency), '-j', String(Math.min(2, concurrency)), '-t', String(Math.ceil(total / concurrency)), '-l', `--log-prefix=${join(dir, 'tx')}`];
  for (const [layer, count] of Object.entries(counts)) {
    const file = join(dir, `${layer}.sql`);
    writeFileSync(file, script(layer, count, role, claims));
    args.push('-f', `${file}@${count}`);
  }
  return new Promise((resolve, reject) => {
    execFile('pgbench', [...args, url], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      try {
        if (err) return reject(new Error(`pgbench failed: ${stderr || err.message}`));
        const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
        resolve({ ...steadyState(readTransactionLog(dir)), errors: failed });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** pgbench's per-transaction log: for each client, [completed at (s), latency (ms)] in order. */
function readTransactionLog(dir) {
  const byClient = new Map();
  for (const file of readdirSync(dir).filter((f) => f.startsWith('tx'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 6) continue;
      const list = byClient.get(f[0]) ?? [];
      list.push([Number(f[4]) + Number(f[5]) / 1e6, Number(f[2]) / 1000]);
      byClient.set(f[0], list);
    }
  }
  return [...byClient.values()].map((list) => list.sort((a, b) => a[0] - b[0]));
}

/**
 * The rate with every client busy and warm. pgbench's connections are new ones: each backend's
 * first tiles pay PostGIS's and PROJ's start-up (tens of milliseconds), which tilegate's long-lived
 * pool paid long ago, so each client's first WARM_UP tiles are left out; and its clients each do a
 * fixed share, so the window ends when the first of them is done.
 */
function steadyState(clients, WARM_UP = 3) {
  let start = Math.max(...clients.map((c) => c[Math.min(WARM_UP, c.length) - 1][0]));
  let end = Math.min(...clients.map((c) => c[c.length - 1][0]));
  // Too few tiles per client for such a window (--quick): the whole run, from the first tile's start.
  if (!(end > start)) {
    start = Math.min(...clients.map((c) => c[0][0] - c[0][1] / 1000));
    end = Math.max(...clients.map((c) => c[c.length - 1][0]));
  }
  const inside = clients.flatMap((c) => c.filter(([at]) => at > start && at <= end));
  const latencies = inside.map(([, ms]) => ms).sort((a, b) => a - b);
  const pick = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const seconds = end - start;
  return { tilesPerSecond: inside.length / seconds, p50: pick(0.5), p99: pick(0.99), requests: inside.length, seconds, latencies: [] };
}

module.exports = { preparePgbench, measurePgbench, tileserverSql, tileserverStatement, envelopes };
