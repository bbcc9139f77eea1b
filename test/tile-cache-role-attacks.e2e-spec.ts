import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { decodeTile } from './support/mvt';
import { ADMIN_URL } from './support/test-database';
import { withClient } from '../scripts/lib/pg-admin';

/**
 * Attacks on the tile cache through roles and claim names, from an attacker's review of issue 16.
 * Each failed when first written; the fix is named in the test. Each asserts what PostgreSQL
 * alone answers.
 */
describe('tile cache attacks: role names, role attributes, claim key case', () => {
  const ctx = serveTestDatabase('core.sql', (db) =>
    roleSwitching(db, { TileCacheTTL: 60, Layer: [{ Id: 'public.by_tenant', Cache: 'claims' }, { Id: 'public.bypass_sites', Cache: 'claims' }] } as never),
  );
  const role = (name: string) => `${ctx.db.roles.member}_${name}`;
  const extraRoles = ['alice', 'bob', 'swap', 'r1', 'r2', 'r3', 'r4', 'tenant'];
  const get = async (layer: string, headers: Record<string, string>) => {
    const response = await fetch(`${ctx.server.url}/${layer}/0/0/0.pbf`, { headers });
    const bytes = Buffer.from(await response.arrayBuffer());
    const names = response.status === 200 ? Object.values(decodeTile(bytes)).flat().map((f) => String(f.properties.name)).sort() : [];
    return { status: response.status, source: response.headers.get('tilegate-cache'), names };
  };
  const warm = async (layer: string, headers: Record<string, string>) => {
    await get(layer, headers);
    const second = await get(layer, headers);
    expect(second.source).toBe('hit');
    return second;
  };

  beforeAll(async () => {
    const auth = ctx.db.roles.authenticator;
    // Created in order, so r1..r4 have consecutive oids: r1 + r4 = r2 + r3.
    for (const name of extraRoles) await ctx.db.admin(`CREATE ROLE ${role(name)} NOLOGIN; GRANT ${role(name)} TO ${auth}`);
    await ctx.db.admin(`
      CREATE TABLE public.alice_only (id integer, name text, geom geometry(Point, 4326));
      INSERT INTO public.alice_only VALUES (1, 'alice-only', 'SRID=4326;POINT(1 1)');
      GRANT SELECT ON public.alice_only TO ${role('alice')};

      CREATE TABLE public.bypass_sites (id integer, tenant text, name text, geom geometry(Point, 4326));
      INSERT INTO public.bypass_sites VALUES (1, 'a', 't-a', 'SRID=4326;POINT(2 2)'), (2, 'b', 't-b', 'SRID=4326;POINT(3 3)');
      ALTER TABLE public.bypass_sites ENABLE ROW LEVEL SECURITY;
      CREATE POLICY by_claim ON public.bypass_sites USING (tenant = current_setting('jwt.claims.tenant', true));
      GRANT SELECT ON public.bypass_sites TO ${role('r1')};

      CREATE TABLE public.by_tenant (id integer, tenant text, name text, geom geometry(Point, 4326));
      INSERT INTO public.by_tenant VALUES (1, 'a', 't-a', 'SRID=4326;POINT(4 4)'), (2, 'b', 't-b', 'SRID=4326;POINT(5 5)');
      ALTER TABLE public.by_tenant ENABLE ROW LEVEL SECURITY;
      CREATE POLICY by_claim ON public.by_tenant USING (tenant = current_setting('jwt.claims.tenant', true));
      GRANT SELECT ON public.by_tenant TO ${role('tenant')};`);
  });

  afterAll(async () => {
    // Roles are cluster-wide: ours go. Their grants first, if the test database is still there.
    const roles = extraRoles.map(role).join(', ');
    await ctx.db.admin(`DROP OWNED BY ${roles}`).catch(() => undefined);
    await withClient(ADMIN_URL, (c) => c.query(extraRoles.map((name) => `DROP ROLE IF EXISTS ${role(name)}`).join('; ')));
  });

  it('[FOUND] two roles swap names: the tile cached for the old name is not served to the role that now has it (role names are in the roles stamp)', async () => {
    const alice = bearer(token({ role: role('alice') }));
    expect((await warm('public.alice_only', alice)).names).toEqual(['alice-only']);
    await ctx.db.admin(`BEGIN;
      ALTER ROLE ${role('alice')} RENAME TO ${role('swap')}_t; ALTER ROLE ${role('bob')} RENAME TO ${role('alice')}; ALTER ROLE ${role('swap')}_t RENAME TO ${role('bob')};
      COMMIT`);
    // The role named alice now has no grant on the table: PostgreSQL says permission denied.
    expect((await get('public.alice_only', alice)).status).toBe(404);
    // And the role now named bob, which holds the grant, is answered by PostgreSQL too.
    expect((await get('public.alice_only', bearer(token({ role: role('bob') })))).names).toEqual(['alice-only']);
  });

  it('[FOUND] BYPASSRLS moves between roles whose oids sum the same: the next request is answered under the new attributes (exact role lists in the stamp)', async () => {
    const [{ ok }] = await ctx.db.admin<{ ok: boolean }>(
      `SELECT (SELECT sum(oid::int8) FROM pg_roles WHERE rolname IN ('${role('r1')}', '${role('r4')}')) = (SELECT sum(oid::int8) FROM pg_roles WHERE rolname IN ('${role('r2')}', '${role('r3')}')) AS ok`,
    );
    expect(ok).toBe(true);
    await ctx.db.admin(`ALTER ROLE ${role('r1')} BYPASSRLS; ALTER ROLE ${role('r4')} BYPASSRLS`);
    const r1 = bearer(token({ role: role('r1'), tenant: 'a' }));
    expect((await warm('public.bypass_sites', r1)).names).toEqual(['t-a', 't-b']);
    await ctx.db.admin(`ALTER ROLE ${role('r1')} NOBYPASSRLS; ALTER ROLE ${role('r4')} NOBYPASSRLS; ALTER ROLE ${role('r2')} BYPASSRLS; ALTER ROLE ${role('r3')} BYPASSRLS`);
    const after = await get('public.bypass_sites', r1);
    expect(after.source).not.toBe('hit');
    expect(after.names).toEqual(['t-a']);
  });

  it("[FOUND] a token's `Tenant` does not blank the next requests' `tenant` on its connection (claim keys compared as PostgreSQL compares setting names)", async () => {
    const layer = 'public.by_tenant';
    expect((await get(layer, bearer(token({ role: role('tenant'), Tenant: 'b' })))).names).toEqual(['t-b']);
    // Every pool connection gets a request; each must see its own tenant claim.
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => get(layer, bearer(token({ role: role('tenant'), tenant: 'a', n })))));
    expect(answers.map((a) => a.names)).toEqual(Array.from({ length: 8 }, () => ['t-a']));
    const again = await Promise.all(Array.from({ length: 8 }, (_, n) => get(layer, bearer(token({ role: role('tenant'), tenant: 'a', n })))));
    expect(again.map((a) => `${a.source} ${a.names.join()}`)).toEqual(Array.from({ length: 8 }, () => 'hit t-a'));
  });
});
