import { createTestDatabase, TestDatabase } from './support/test-database';
import { startServer, TestServer } from './support/test-server';
import { bearer, TEST_SECRET, token } from './support/tokens';
import { decodeTile } from './support/mvt';

/**
 * The role switch must be transaction-local: with only two pooled connections shared by 2,000
 * concurrent requests as four identities, every tile must show its own role and claims.
 */
describe('no role or claim leaks across pooled connections', () => {
  let db: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase('core.sql');
    server = await startServer({ DbConnection: db.authenticatorUrl, JwtSecret: TEST_SECRET, AnonRole: db.roles.anon, DbPoolMaxConns: 2, DbTimeout: 120 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('gives 2,000 concurrent mixed requests each its own role and claims', async () => {
    const identities = [
      { expectRole: db.roles.anon, expectSub: '', headers: {} as Record<string, string> },
      { expectRole: db.roles.member, expectSub: 'member-1', headers: bearer(token({ role: db.roles.member, sub: 'member-1' })) },
      { expectRole: db.roles.regional, expectSub: 'regional-1', headers: bearer(token({ role: db.roles.regional, sub: 'regional-1', region: 'north' })) },
      { expectRole: db.roles.anon, expectSub: 'no-role-claim', headers: bearer(token({ sub: 'no-role-claim' })) },
    ];
    const requests = Array.from({ length: 2000 }, (_, i) => identities[i % identities.length]);
    const results = await Promise.all(
      requests.map(async (identity) => {
        const response = await fetch(`${server.url}/public.whoami/0/0/0.pbf`, { headers: identity.headers });
        if (response.status !== 200) return { identity, error: `${response.status} ${await response.text()}` };
        const [feature] = decodeTile(await response.arrayBuffer())['public.whoami'];
        return { identity, seen: feature.properties as { role: string; sub: string; claims: string } };
      }),
    );
    const errors = results.filter((r) => 'error' in r);
    expect(errors).toEqual([]);
    const mismatches = results.filter(({ identity, seen }) => {
      if (!seen) return true;
      const claims = JSON.parse(seen.claims) as { sub?: string };
      return seen.role !== identity.expectRole || seen.sub !== identity.expectSub || (claims.sub ?? '') !== identity.expectSub;
    });
    expect(mismatches).toHaveLength(0);
    expect(new Set(results.map((r) => r.seen?.role)).size).toBe(3);
  });

  it('leaves no role or claim on the pooled connections afterwards', async () => {
    // Ask the server's own backends, through the database, what they hold between requests.
    const sessions = await db.admin<{ state: string; xact: string | null }>(
      `SELECT state, xact_start::text AS xact FROM pg_stat_activity WHERE datname = current_database() AND usename = '${db.roles.authenticator}'`,
    );
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(session.state).toBe('idle');
      expect(session.xact).toBeNull();
    }
  });
});
