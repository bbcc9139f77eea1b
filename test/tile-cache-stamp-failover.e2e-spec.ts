import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterDatabase, createDatabaseOn, ThrowawayCluster } from './support/throwaway-cluster';
import { startReplicationPrimary, startStreamingReplica, StreamingReplica } from './support/streaming-replica';
import { PgBouncer, startTransactionPooler } from './support/pgbouncer';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { decodeTile } from './support/mvt';
import { databaseUrl, withClient } from '../scripts/lib/pg-admin';

const core = readFileSync(join(__dirname, 'fixtures', 'core.sql'), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getTile(server: TestServer, db: ClusterDatabase, layer: string) {
  const response = await fetch(`${server.url}/${layer}/0/0/0.pbf`, { headers: bearer(token({ role: db.roles.member })) });
  const bytes = Buffer.from(await response.arrayBuffer());
  const names = response.status === 200 ? (decodeTile(bytes)[layer] ?? []).map((f) => String(f.properties.name)) : [];
  return { status: response.status, source: response.headers.get('tilegate-cache'), names };
}

/**
 * The privilege-stamp shortcut (a read whose snapshot equals the last full read's reuses its
 * stamps, libs/database/src/privilege-stamps.sql.ts) across a failover behind PgBouncer, from an
 * attacker's review: tilegate's connection to the pooler outlives the old primary, and the promoted
 * standby, which lost the old primary's last commits, hands out the same xids again, so its
 * snapshot text can repeat one from the old primary's history. The snapshot is therefore compared
 * only within one server session (postmaster start, backend pid and start). Without that, the
 * GRANT the new primary never had was served as a hit.
 */
describe('privilege stamps across a failover behind PgBouncer', () => {
  let primary: ThrowawayCluster;
  let replica: StreamingReplica;
  let db: ClusterDatabase;
  let bouncer: PgBouncer;
  let server: TestServer;
  const layer = 'public.lost_grant';

  beforeAll(async () => {
    primary = await startReplicationPrimary();
    db = await createDatabaseOn(
      primary,
      core + `\nCREATE TABLE public.lost_grant (id integer, name text, geom geometry(Point, 4326));
INSERT INTO public.lost_grant VALUES (1, 'lost', 'SRID=4326;POINT(1 1)');`,
    );
    replica = await startStreamingReplica(primary);
    // A WAL record (no xid) so that the insert position is one replay can reach.
    await db.admin("SELECT pg_logical_emit_message(false, 'tilegate-test', 'nudge')");
    await replica.caughtUp();
    // The standby stops receiving WAL (async replication that is behind at the failover).
    await replica.stop('fast');
    rmSync(join(replica.dataDirectory, 'standby.signal'));
    bouncer = await startTransactionPooler(primary.port, db, { defaultPoolSize: 2, ignoreStartupParameters: ['extra_float_digits'] });
    server = await startServer(roleSwitching({ ...db, authenticatorUrl: bouncer.url(db.authenticatorUrl) }, { TileCacheTTL: 60, DbTimeout: 60 }));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await bouncer?.stop();
    await replica?.destroy();
    await primary?.destroy();
  });

  it('[FOUND] a GRANT lost in the failover is not served from the cache, though the new primary repeats the old snapshot', async () => {
    // Committed on the old primary only.
    await db.admin(`GRANT SELECT ON public.lost_grant TO ${db.roles.member}`);
    expect(await getTile(server, db, layer)).toEqual({ status: 200, source: 'miss', names: ['lost'] });
    expect(await getTile(server, db, layer)).toEqual({ status: 200, source: 'hit', names: ['lost'] });
    const [{ s: oldSnapshot }] = await db.admin<{ s: string }>('SELECT pg_current_snapshot()::text AS s');

    // Failover: the standby comes up as the primary, without the GRANT.
    await replica.start();
    const newPrimary = databaseUrl(replica.adminUrl, db.name);
    // Ordinary write traffic on the new primary takes the xids the lost commits had.
    let newSnapshot = '';
    await withClient(newPrimary, async (c) => {
      for (let i = 0; i < 10_000; i++) {
        newSnapshot = (await c.query<{ s: string }>('SELECT pg_current_snapshot()::text AS s')).rows[0].s;
        if (newSnapshot === oldSnapshot) break;
        await c.query('SELECT pg_current_xact_id()');
      }
    });
    expect(newSnapshot).toBe(oldSnapshot);

    // PgBouncer is pointed at the new primary (RELOAD); the old one goes away.
    const ini = join(bouncer.directory, 'pgbouncer.ini');
    writeFileSync(ini, readFileSync(ini, 'utf8').replace(`port=${primary.port}`, `port=${replica.port}`));
    process.kill(bouncer.pid, 'SIGHUP');
    await sleep(500);
    await primary.stop('fast');
    await sleep(500);

    // What PostgreSQL (the new primary) says to the member:
    const truth = await withClient(newPrimary, async (c) => {
      await c.query(`SET ROLE ${db.roles.member}`);
      return c.query('SELECT name FROM public.lost_grant').then(
        () => 'allowed',
        (err: Error) => err.message,
      );
    });
    expect(truth).toMatch(/permission denied/);

    expect(await getTile(server, db, layer)).toEqual({ status: 404, source: null, names: [] });
  }, 120_000);
});

/**
 * ATTACK 2: on a hot standby pg_current_snapshot() has no in-progress list (GetSnapshotData puts
 * every KnownAssignedXid into subxip, and pg_current_snapshot copies only xip), so a commit that
 * moves neither xmin nor xmax leaves the text unchanged.
 */
