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

/** Every feature of every layer, with its geometry's extent and vertex count in tile units. */
function features(bytes: Buffer): Map<string, Feature[]> {
  const tile = new VectorTile(new Protobuf(bytes));
  const out = new Map<string, Feature[]>();
  for (const [name, layer] of Object.entries(tile.layers)) {
    const list: Feature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const pts = f.loadGeometry().flat();
      const xs = pts.map((p) => p.x);
      const ys = pts.map((p) => p.y);
      list.push({ id: f.id, type: f.type, properties: f.properties, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], points: pts.length });
    }
    out.set(name, list.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)));
  }
  return out;
}

/**
 * Proof of sameness: tilegate's tile SQL (bounding-box tests for points, no JIT, no ST_Force2D)
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
