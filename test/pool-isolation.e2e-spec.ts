import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { decodeTile } from './support/mvt';

/**
 * The role switch must be transaction-local: with only two pooled connections shared by 2,000
 * concurrent requests as four identities, every tile must show its own role and claims.
 */
describe('no role or claim leaks across pooled connections', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { DbPoolMaxConns: 2, DbTimeout: 120 }));

  it('gives 2,000 concurrent mixed requests each its own role and claims', async () => {
    const identities = [
      { expectRole: ctx.db.roles.anon, expectSub: '', headers: {} as Record<string, string> },
      { expectRole: ctx.db.roles.member, expectSub: 'member-1', headers: bearer(token({ role: ctx.db.roles.member, sub: 'member-1' })) },
      { expectRole: ctx.db.roles.regional, expectSub: 'regional-1', headers: bearer(token({ role: ctx.db.roles.regional, sub: 'regional-1', region: 'north' })) },
      { expectRole: ctx.db.roles.anon, expectSub: 'no-role-claim', headers: bearer(token({ sub: 'no-role-claim' })) },
    ];
    const requests = Array.from({ length: 2000 }, (_, i) => identities[i % identities.length]);
    const results = await Promise.all(
      requests.map(async (identity) => {
        const response = await fetch(`${ctx.server.url}/public.whoami/0/0/0.pbf`, { headers: identity.headers });
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
    const sessions = await ctx.db.admin<{ state: string; xact: string | null }>(
      `SELECT state, xact_start::text AS xact FROM pg_stat_activity WHERE datname = current_database() AND usename = '${ctx.db.roles.authenticator}'`,
    );
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(session.state).toBe('idle');
      expect(session.xact).toBeNull();
    }
  });
});
