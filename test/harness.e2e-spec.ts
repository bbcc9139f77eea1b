import { Client } from 'pg';
import { withClient } from '../scripts/lib/pg-admin';
import { PgBouncer, startPgBouncer } from './support/pgbouncer';
import { isAlive, processesUnder } from './support/processes';
import { ClusterDatabase, createDatabaseOn, startThrowawayCluster, ThrowawayCluster } from './support/throwaway-cluster';

/** The helpers other specs use to break the database on purpose: check they do what they say. */
describe('test harness: a throwaway cluster and PgBouncer', () => {
  let cluster: ThrowawayCluster | undefined;
  let bouncer: PgBouncer | undefined;
  let db: ClusterDatabase;

  beforeAll(async () => {
    cluster = await startThrowawayCluster({ maxConnections: 20 });
    db = await createDatabaseOn(cluster, `CREATE EXTENSION postgis; CREATE TABLE spot AS SELECT 'SRID=4326;POINT(1 2)'::geometry AS geom; GRANT SELECT ON spot TO {{authenticator}}, {{member}};`);
  });
  afterAll(async () => {
    await bouncer?.stop();
    await cluster?.destroy();
  });

  const stX = (url: string) => withClient(url, async (c) => (await c.query('SELECT ST_X(geom) AS x FROM spot')).rows[0].x as number);

  it('is a separate PostGIS cluster on its own port', async () => {
    expect(cluster!.port).not.toBe(5432);
    expect(await stX(db.adminUrl)).toBe(1);
    const [{ version }] = await db.admin<{ version: string }>('SELECT postgis_lib_version() AS version');
    expect(version).toMatch(/^3\./);
  });

  it('answers again after a restart, from a new postmaster', async () => {
    const before = cluster!.postmasterPid;
    await cluster!.restart();
    expect(cluster!.postmasterPid).not.toBe(before);
    expect(await stX(db.authenticatorUrl)).toBe(1);
  });

  it('terminates backends: the open client errors, a new one connects', async () => {
    const client = new Client({ connectionString: db.authenticatorUrl });
    const lost = new Promise<Error>((resolve) => client.on('error', resolve));
    await client.connect();
    expect(await cluster!.terminateBackends(`usename = '${db.roles.authenticator}'`)).toBe(1);
    await expect(client.query('SELECT 1')).rejects.toThrow(/terminat|Connection/i);
    expect((await lost).message).toMatch(/terminat/i);
    await client.end().catch(() => undefined);
    expect(await stX(db.authenticatorUrl)).toBe(1);
  });

  it('switches roles per transaction through PgBouncer in transaction mode', async () => {
    bouncer = await startPgBouncer({
      targetPort: cluster!.port,
      database: db.name,
      poolMode: 'transaction',
      user: db.roles.authenticator,
      password: db.authenticatorPassword,
      defaultPoolSize: 1,
    });
    // Two clients, one server connection: the second sees the first's backend, with no role left on it.
    const url = bouncer.url(db.authenticatorUrl);
    const first = new Client({ connectionString: url });
    // statement_timeout and options as startup parameters would be refused were they not ignored.
    const second = new Client({ connectionString: url, statement_timeout: 5000, options: '-c search_path=public' });
    await first.connect();
    await second.connect();
    try {
      await first.query('BEGIN');
      await first.query(`SELECT set_config('role', $1, true)`, [db.roles.member]);
      const inside = (await first.query('SELECT current_user AS who, pg_backend_pid() AS pid')).rows[0];
      await first.query('COMMIT');
      expect(inside.who).toBe(db.roles.member);
      const after = (await second.query('SELECT current_user AS who, pg_backend_pid() AS pid')).rows[0];
      expect(after).toEqual({ who: db.roles.authenticator, pid: inside.pid });
    } finally {
      await first.end();
      await second.end();
    }
    const wrong = new URL(url);
    wrong.password = 'wrong';
    await expect(withClient(wrong.toString(), (c) => c.query('SELECT 1'))).rejects.toThrow(/password authentication failed/);
  });

  it('leaves no server or pooler process behind once destroyed', async () => {
    const { directory } = cluster!;
    const pid = cluster!.postmasterPid!;
    expect(processesUnder(directory)).toContain(pid);
    expect(processesUnder(bouncer!.directory)).toEqual([bouncer!.pid]);
    await bouncer!.stop();
    await cluster!.destroy();
    await cluster!.destroy();
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(bouncer!.pid)).toBe(false);
    expect(processesUnder(directory)).toEqual([]);
    expect(processesUnder(bouncer!.directory)).toEqual([]);
  });
});
