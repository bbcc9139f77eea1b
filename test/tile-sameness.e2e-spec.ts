import { VectorTile } from '@mapbox/vector-tile';
import Protobuf from 'pbf';
import { withClient } from '../scripts/lib/pg-admin';
import { ADMIN_URL } from './support/test-database';
import { startServer, TestServer } from './support/test-server';
import { bearer, TEST_SECRET, token } from './support/tokens';

// The benchmark's own data and tile list, and pg_tileserv's statement (bench/pgbench-ceiling.js).
/* eslint-disable @typescript-eslint/no-var-requires */
const { createBenchDatabase } = require('../bench/dataset');
const { buildTileList } = require('../bench/tile-list');
const { tileserverStatement } = require('../bench/pgbench-ceiling');
/* eslint-enable @typescript-eslint/no-var-requires */

interface BenchDatabase {
  roles: { anon: string; member: string };
  admin(sql: string): Promise<unknown[]>;
  authenticatorUrl: string;
  drop(): Promise<void>;
}
interface Tile {
  layer: string;
  z: number;
  x: number;
  y: number;
}
interface Feature {
  id: number | undefined;
  type: number;
  properties: Record<string, unknown>;
  bbox: [number, number, number, number];
  points: number;
}

const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

type Box = [number, number, number, number];

/** The part of segment a→b inside the box (Liang–Barsky), or null. */
function clipSegment(a: { x: number; y: number }, b: { x: number; y: number }, [x0, y0, x1, y1]: Box): Array<{ x: number; y: number }> | null {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  for (const [p, q] of [[-dx, a.x - x0], [dx, x1 - a.x], [-dy, a.y - y0], [dy, y1 - a.y]]) {
    if (p === 0) {
      if (q < 0) return null;
    } else if (p < 0) t0 = Math.max(t0, q / p);
    else t1 = Math.min(t1, q / p);
  }
  if (t0 > t1) return null;
  return [t0, t1].map((t) => ({ x: a.x + t * dx, y: a.y + t * dy }));
}

/**
 * Every feature of every layer, with the extent of its geometry in tile units: the outline's
 * segments are clipped to the tile and its buffer, so the extent is the drawn
 * shape's, whichever vertices make it (ST_AsMVTGeom may keep a collinear vertex or not).
 */
function features(bytes: Buffer): Map<string, Feature[]> {
  const vt = new VectorTile(new Protobuf(bytes));
  // ST_AsMVTGeom's own clip box: the tile and its 256-unit buffer.
  const inner: Box = [-256, -256, 4096 + 256, 4096 + 256];
  const out = new Map<string, Feature[]>();
  for (const [name, layer] of Object.entries(vt.layers)) {
    const list: Feature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const parts = f.loadGeometry();
      const drawn = parts.flatMap((ring) =>
        ring.length === 1 ? (clipSegment(ring[0], ring[0], inner) ?? []) : ring.slice(1).flatMap((b, k) => clipSegment(ring[k], b, inner) ?? []),
      );
      const xs = drawn.map((p) => p.x);
      const ys = drawn.map((p) => p.y);
      const bbox: Box = drawn.length ? [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] : [0, 0, 0, 0];
      list.push({ id: f.id, type: f.type, properties: f.properties, bbox, points: parts.flat().length });
    }
    out.set(name, list.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)));
  }
  return out;
}

/**
 * Proof of sameness: tilegate's tile SQL (bounding-box tests for points, longitude/latitude points
 * projected by formula, no JIT, no parallel plans, no ST_Force2D)
 * makes the same tiles as pg_tileserv's statement, for the benchmark's own tiles: the same
 * features, ids and properties, and geometry within one tile unit.
 */
describe("tilegate's tile SQL and pg_tileserv's, on the benchmark's tiles", () => {
  let db: BenchDatabase;
  let server: TestServer;
  let tiles: Tile[];
  const claims = { tenant: 'b' };

  beforeAll(async () => {
    db = await createBenchDatabase(ADMIN_URL, { points: 30000 });
    tiles = await buildTileList(db, { perZoom: 12 });
    // Whole countries too (the benchmark's are cut into 256-vertex pieces), in longitude/latitude and
    // in web mercator: long outlines across many tiles, where a change to how geometry is prepared
    // would show first.
    await db.admin(`CREATE TABLE bench.whole_countries AS SELECT row_number() OVER (ORDER BY name)::int AS id, name, ST_Multi(ST_Union(geom))::geometry(MultiPolygon, 4326) AS geom FROM bench.countries GROUP BY name;
      ALTER TABLE bench.whole_countries ADD PRIMARY KEY (id);
      CREATE INDEX ON bench.whole_countries USING gist (geom);
      ANALYZE bench.whole_countries;
      CREATE TABLE bench.whole_countries_3857 AS SELECT id, name, ST_Transform(geom, 3857)::geometry(MultiPolygon, 3857) AS geom FROM bench.whole_countries;
      ALTER TABLE bench.whole_countries_3857 ADD PRIMARY KEY (id);
      CREATE INDEX ON bench.whole_countries_3857 USING gist (geom);
      ANALYZE bench.whole_countries_3857;
      GRANT SELECT ON bench.whole_countries, bench.whole_countries_3857 TO ${db.roles.member}`);
    const polygonTiles = tiles.filter((t) => t.layer === 'bench.countries');
    for (const layer of ['bench.whole_countries', 'bench.whole_countries_3857']) tiles.push(...polygonTiles.map((t) => ({ ...t, layer })));
    server = await startServer({ DbConnection: db.authenticatorUrl, JwtSecret: TEST_SECRET, AnonRole: db.roles.anon, MaxFeaturesPerTile: 50000 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('gives the same features, ids, properties and geometry for every tile of the list', async () => {
    expect(tiles.length).toBeGreaterThan(200);
    const jwt = bearer(token({ role: db.roles.member, ...claims }));
    const differences: string[] = [];
    await withClient(db.authenticatorUrl, async (c) => {
      for (const tile of tiles) {
        const ours = Buffer.from(await (await fetch(`${server.url}/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.pbf`, { headers: jwt })).arrayBuffer());
        await c.query(`BEGIN; SELECT set_config('role', '${db.roles.member}', true), set_config('request.jwt.claims', '${JSON.stringify(claims)}', true)`);
        const theirs: Buffer = (await c.query(tileserverStatement(tile.layer, tile))).rows[0].st_asmvt ?? Buffer.alloc(0);
        await c.query('COMMIT');
        const a = features(ours).get(tile.layer) ?? [];
        const b = features(theirs).get(tile.layer) ?? [];
        const where = `${tile.layer}/${tile.z}/${tile.x}/${tile.y}`;
        if (a.length !== b.length) {
          differences.push(`${where}: ${a.length} features, pg_tileserv ${b.length}`);
          continue;
        }
        a.forEach((fa, i) => {
          const fb = b[i];
          if (fa.id !== fb.id || fa.type !== fb.type) differences.push(`${where}: feature ${fa.id} vs ${fb.id}`);
          // Key order is no part of a feature (pg_tileserv's own varies from request to request).
          else if (JSON.stringify(sorted(fa.properties)) !== JSON.stringify(sorted(fb.properties))) differences.push(`${where}: properties of ${fa.id}`);
          else if (fa.bbox.some((v, k) => Math.abs(v - fb.bbox[k]) > 1)) differences.push(`${where}: geometry of ${fa.id} moved`);
        });
      }
    });
    expect(differences.slice(0, 20)).toEqual([]);
  });
});
