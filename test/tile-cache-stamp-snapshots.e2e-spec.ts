import { Client } from 'pg';
import { privilegeStampsStatement, SNAPSHOT_CHECK, SNAPSHOT_ROW_OID } from '../libs/database/src/privilege-stamps.sql';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { decodeTile } from './support/mvt';
import { ADMIN_URL } from './support/test-database';
import { withClient } from '../scripts/lib/pg-admin';

/**
 * A privilege-stamp read whose snapshot equals the last full read's is answered from that read
 * (libs/database/src/privilege-stamps.sql.ts). These are the attacks on that shortcut: a change
 * committed by a transaction that was already open at the earlier read, a change committed in
 * another database of the cluster, and the statements themselves against a real PostgreSQL.
 * `warm` asks three times: a full read, a read that finds nothing changed, and one that asks for
 * the snapshot alone (SNAPSHOT_CHECK, used once a read found nothing changed), so the attack's
 * request is answered by the snapshot check's path.
 */
describe('privilege stamps: a read that finds the snapshot unchanged', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { TileCacheTTL: 60 }));
  const group = () => `${ctx.db.roles.member}_snapgroup`;
  const get = async (layer: string) => {
    const response = await fetch(`${ctx.server.url}/${layer}/0/0/0.pbf`, { headers: bearer(token({ role: ctx.db.roles.member })) });
    const bytes = Buffer.from(await response.arrayBuffer());
    const names = response.status === 200 ? (decodeTile(bytes)[layer] ?? []).map((f) => String(f.properties.name)) : [];
    return { status: response.status, source: response.headers.get('tilegate-cache'), names };
  };
  const warm = async (layer: string) => {
    await get(layer);
    expect(await get(layer)).toEqual({ status: 200, source: 'hit', names: [layer] });
    expect(await get(layer)).toEqual({ status: 200, source: 'hit', names: [layer] });
  };

  beforeAll(async () => {
    await withClient(ADMIN_URL, (c) => c.query(`CREATE ROLE ${group()} NOLOGIN`));
    await ctx.db.admin(`
      CREATE TABLE public.open_revoke (id integer, name text, geom geometry(Point, 4326));
      CREATE TABLE public.by_group (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.open_revoke VALUES (1, 'public.open_revoke', 'SRID=4326;POINT(1 1)');
      INSERT INTO public.by_group VALUES (1, 'public.by_group', 'SRID=4326;POINT(2 2)');
      GRANT SELECT ON public.open_revoke TO ${ctx.db.roles.member};
      GRANT SELECT ON public.by_group TO ${group()};
      GRANT ${group()} TO ${ctx.db.roles.member}`);
  });

  afterAll(async () => {
    await ctx.db.admin(`DROP OWNED BY ${group()}`).catch(() => undefined);
    await withClient(ADMIN_URL, (c) => c.query(`DROP ROLE IF EXISTS ${group()}`));
  });

  it('[DEFENCE] a REVOKE whose transaction was open during the last read applies to the next request once it commits', async () => {
    const layer = 'public.open_revoke';
    const revoker = new Client({ connectionString: ctx.db.adminUrl });
    await revoker.connect();
    try {
      await revoker.query(`BEGIN; REVOKE SELECT ON ${layer} FROM ${ctx.db.roles.member}`);
      // A later transaction commits first, so the REVOKE's id is below the snapshots' xmax: only
      // the list of transactions in progress tells the reads before and after its commit apart.
      await ctx.db.admin('SELECT pg_catalog.pg_current_xact_id()');
      // Read while the REVOKE is in progress: the snapshot lists its transaction as running.
      await warm(layer);
      await revoker.query('COMMIT');
      expect(await get(layer)).toEqual({ status: 404, source: null, names: [] });
    } finally {
      await revoker.end();
    }
  });

  it('[DEFENCE] a role membership revoked from another database of the cluster applies on the next request', async () => {
    const layer = 'public.by_group';
    await warm(layer);
    await withClient(ADMIN_URL, (c) => c.query(`REVOKE ${group()} FROM ${ctx.db.roles.member}`));
    expect((await get(layer)).status).toBe(404);
  });

  describe('the statement, on PostgreSQL', () => {
    let client: Client;
    let oid: number;
    const read = async (remembered: string | null) => {
      const { name, text, values } = privilegeStampsStatement({ tables: [oid], views: [], functions: [] }, remembered);
      const { rows } = await client.query<{ oid: string; stamp: string }>({ name, text, values });
      const snapshot = rows.find((row) => Number(row.oid) === SNAPSHOT_ROW_OID)!.stamp;
      return { snapshot, rows: rows.filter((row) => Number(row.oid) !== SNAPSHOT_ROW_OID) };
    };

    beforeAll(async () => {
      client = new Client({ connectionString: ctx.db.authenticatorUrl });
      await client.connect();
      [{ oid }] = await ctx.db.admin<{ oid: number }>(`SELECT 'public.open_revoke'::regclass::oid::int AS oid`);
    });
    afterAll(() => client.end());

    it('answers with the snapshot alone while nothing commits, and in full otherwise', async () => {
      const full = await read(null);
      // The roles row, the WAL position and the table's stamp.
      expect(full.rows).toHaveLength(3);
      expect(await read(full.snapshot)).toEqual({ snapshot: full.snapshot, rows: [] });
      await ctx.db.admin(`GRANT SELECT ON public.open_revoke TO ${ctx.db.roles.analyst}`);
      const after = await read(full.snapshot);
      expect(after.snapshot).not.toBe(full.snapshot);
      const stampOf = (rows: Array<{ oid: string; stamp: string }>) => rows.find((row) => Number(row.oid) === oid)!.stamp;
      expect(stampOf(after.rows)).not.toBe(stampOf(full.rows));
    });

    it('the snapshot check reads the same session snapshot as the statement, until something commits', async () => {
      const check = async () => (await client.query<{ snapshot: string; recovering: boolean }>(SNAPSHOT_CHECK)).rows;
      const { snapshot } = await read(null);
      // Equal texts are what lets a read skip the stamp statement; the session's parts are in it.
      expect(await check()).toEqual([{ snapshot, recovering: false }]);
      expect(snapshot).toContain(`/${(await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid}/`);
      await ctx.db.admin('SELECT pg_catalog.pg_current_xact_id()');
      expect((await check())[0].snapshot).not.toBe(snapshot);
    });

    it('answers in full for a snapshot it was not in (another server, or a made-up one)', async () => {
      const { snapshot } = await read(null);
      expect((await read(`${snapshot}1`)).rows).toHaveLength(3);
      expect((await read('1:1:')).rows).toHaveLength(3);
    });
  });
});
