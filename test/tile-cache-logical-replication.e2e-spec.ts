import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withClient } from '../scripts/lib/pg-admin';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { CachedTileAnswer, getCachedTile, untilTile } from './support/cached-tile';
import { startThrowawayCluster, ThrowawayCluster } from './support/throwaway-cluster';

const INVALIDATION_SQL = readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');

/**
 * A watched table on a logical replication subscriber: the apply worker fires row triggers only
 * (statement triggers just for TRUNCATE), so a change applied from the publisher must still reach
 * the next tile within a second (the script's REPLICA row trigger). From an attacker's review of
 * issue 16, where such tiles were never refreshed. The publisher is a throw-away cluster with
 * wal_level = logical; the subscriber is this test's database on the shared cluster.
 */
describe('tile cache: a watched table filled by logical replication', () => {
  const layer = 'public.replicated_sites';
  const subscription = `tg_sub_${randomBytes(4).toString('hex')}`;
  let publisher: ThrowawayCluster;
  let db: TestDatabase;
  let server: TestServer;
  let subscribed = false;

  beforeAll(async () => {
    publisher = await startThrowawayCluster({ settings: { wal_level: 'logical', max_wal_senders: '4', max_replication_slots: '4' } });
    await withClient(publisher.adminUrl, (c) =>
      c.query(`CREATE TABLE ${layer} (id integer PRIMARY KEY, name text);
        INSERT INTO ${layer} VALUES (1, 'published');
        CREATE PUBLICATION tg_pub FOR TABLE ${layer}`),
    );
    db = await createTestDatabase('tile-cache.sql');
    await db.admin(`CREATE TABLE ${layer} (id integer PRIMARY KEY, name text, geom geometry(Point, 4326) DEFAULT 'SRID=4326;POINT(1 1)');
      GRANT SELECT ON ${layer} TO ${db.roles.anon}`);
    await db.admin(INVALIDATION_SQL);
    await db.admin(`SELECT tilegate_cache.watch('${layer}')`);
    // CREATE SUBSCRIPTION cannot run in a transaction block: a statement of its own.
    await db.admin(`CREATE SUBSCRIPTION ${subscription} CONNECTION 'host=127.0.0.1 port=${publisher.port} dbname=postgres user=postgres' PUBLICATION tg_pub`);
    subscribed = true;
    server = await startServer(roleSwitching(db, { TileCacheTTL: 0 }));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    // Drops the publisher's slot too; a database with a subscription cannot be dropped.
    if (subscribed) await db.admin(`DROP SUBSCRIPTION ${subscription}`).catch(() => db.admin(`ALTER SUBSCRIPTION ${subscription} DISABLE; ALTER SUBSCRIPTION ${subscription} SET (slot_name = NONE); DROP SUBSCRIPTION ${subscription}`));
    await db?.drop();
    await publisher?.destroy();
  });

  const get = () => getCachedTile(server.url, layer);
  const until = (what: string, ok: (tile: CachedTileAnswer) => boolean, ms: number) => untilTile(what, get, ok, ms);
  /** When the subscriber has applied the row named `name`: from then on, the change is visible there. */
  const appliedAt = async (name: string) => {
    for (let i = 0; i < 500; i++) {
      const [{ n }] = await db.admin<{ n: string }>(`SELECT count(*) AS n FROM ${layer} WHERE name = '${name}'`);
      if (Number(n) > 0) return Date.now();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`the subscriber never applied the row named ${name}`);
  };

  it('refreshes a cached tile within a second of an UPDATE applied from the publisher', async () => {
    await until('the initial copy, cached', (t) => t.source === 'hit' && t.names.includes('published'), 20_000);
    await withClient(publisher.adminUrl, (c) => c.query(`UPDATE ${layer} SET name = 'updated upstream' WHERE id = 1`));
    const visible = await appliedAt('updated upstream');
    await until('the applied change', (t) => t.names.includes('updated upstream'), 3000);
    expect(Date.now() - visible).toBeLessThan(1000);
  });

  it('and of an INSERT', async () => {
    await until('cached', (t) => t.source === 'hit', 5000);
    await withClient(publisher.adminUrl, (c) => c.query(`INSERT INTO ${layer} VALUES (2, 'inserted upstream')`));
    const visible = await appliedAt('inserted upstream');
    await until('the applied insert', (t) => t.names.includes('inserted upstream'), 3000);
    expect(Date.now() - visible).toBeLessThan(1000);
  });
});
