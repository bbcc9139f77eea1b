import { Client } from 'pg';
import { withClient } from '../scripts/lib/pg-admin';
import { isAlive, processesUnder } from './support/processes';
import { ClusterDatabase, createDatabaseOn, startThrowawayCluster, ThrowawayCluster } from './support/throwaway-cluster';

/** The helpers other specs use to break the database on purpose: check they do what they say. */
describe('test harness: a throwaway cluster', () => {
  let cluster: ThrowawayCluster | undefined;
  let db: ClusterDatabase;

  beforeAll(async () => {
    cluster = await startThrowawayCluster({ maxConnections: 20 });
    db = await createDatabaseOn(cluster, `CREATE EXTENSION postgis; CREATE TABLE spot AS SELECT 'SRID=4326;POINT(1 2)'::geometry AS geom; GRANT SELECT ON spot TO {{authenticator}}, {{member}};`);
  });
  afterAll(async () => {
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

  it('leaves no server process behind once destroyed', async () => {
    const { directory } = cluster!;
    const pid = cluster!.postmasterPid!;
    expect(processesUnder(directory)).toContain(pid);
    await cluster!.destroy();
    await cluster!.destroy();
    expect(isAlive(pid)).toBe(false);
    expect(processesUnder(directory)).toEqual([]);
  });
});
