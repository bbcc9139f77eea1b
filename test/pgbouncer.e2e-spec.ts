import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { ClusterDatabase, createDatabaseOn, startThrowawayCluster, ThrowawayCluster } from './support/throwaway-cluster';
import { PgBouncer, startTransactionPooler } from './support/pgbouncer';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { bearer, token } from './support/tokens';
import { decodeTile, fetchTile } from './support/mvt';

/**
 * tilegate behind a real PgBouncer in transaction mode (pg_tileserv's issue #111): tilegate sends
 * no startup parameter PgBouncer refuses (statement_timeout is set per transaction), and since
 * every setting is transaction-local, server connections shared between clients carry no role
 * or claim from one request to the next.
 */
describe('behind PgBouncer, pool_mode = transaction', () => {
  let cluster: ThrowawayCluster;
  let db: ClusterDatabase;
  let bouncer: PgBouncer;
  let server: TestServer;
  const url = (path: string) => `${server.url}/${path}`;

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    db = await createDatabaseOn(cluster, readFileSync(join(__dirname, 'fixtures', 'core.sql'), 'utf8'));
    // Only what other drivers send is ignored: a statement_timeout startup parameter would be refused.
    bouncer = await startTransactionPooler(cluster.port, db, { defaultPoolSize: 2, ignoreStartupParameters: ['extra_float_digits'] });
    const viaBouncer = bouncer.url(db.authenticatorUrl);
    // Many more client connections than PgBouncer has server connections: they share backends.
    server = await startServer(roleSwitching({ ...db, authenticatorUrl: viaBouncer }, { DbPoolMaxConns: 8, DbTimeout: 60 }));
  });
  afterAll(async () => {
    await server?.close();
    await bouncer?.stop();
    await cluster?.destroy();
  });

  it('never treats a layer as watched: LISTEN does not work through transaction pooling', async () => {
    await db.admin(readFileSync(join(__dirname, '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8'));
    await db.admin("SELECT tilegate_cache.watch('public.places')");
    try {
      // Long enough for the listener to have tried (its echo times out in 700 ms) and the watch state to be read.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (let i = 0; i < 5; i++) {
        const response = await fetch(url('public.places/0/0/0.pbf'));
        await response.arrayBuffer();
        expect(response.headers.get('tilegate-cache')).toBe('off');
      }
    } finally {
      await db.admin("SELECT tilegate_cache.unwatch('public.places')");
    }
  });

  it('switches roles and hands claims and row level security through', async () => {
    const member = (await fetchTile(url('public.whoami/0/0/0.pbf'), bearer(token({ role: db.roles.member, sub: 'm-1' }))))['public.whoami'][0].properties;
    expect(member.role).toBe(db.roles.member);
    expect(member.sub).toBe('m-1');
    const anonymous = (await fetchTile(url('public.whoami/0/0/0.pbf')))['public.whoami'][0].properties;
    expect(anonymous.role).toBe(db.roles.anon);
    const north = await fetchTile(url('public.regional_sites/0/0/0.pbf'), bearer(token({ role: db.roles.regional, region: 'north' })));
    expect(north['public.regional_sites'].map((f) => f.properties.name).sort()).toEqual(['Northern depot', 'Northern yard']);
    expect((await fetch(url('public.member_only/0/0/0.pbf'))).status).toBe(404);
    expect((await fetch(url('index.json'))).status).toBe(200);
  });

  it('gives 2,000 concurrent mixed-role requests each its own role and claims', async () => {
    const identities = [
      { role: db.roles.anon, sub: '', headers: {} as Record<string, string> },
      { role: db.roles.member, sub: 'member-1', headers: bearer(token({ role: db.roles.member, sub: 'member-1' })) },
      { role: db.roles.regional, sub: 'regional-1', headers: bearer(token({ role: db.roles.regional, sub: 'regional-1', region: 'north' })) },
      { role: db.roles.anon, sub: 'no-role-claim', headers: bearer(token({ sub: 'no-role-claim' })) },
    ];
    const results = await Promise.all(
      Array.from({ length: 2000 }, async (_, i) => {
        const identity = identities[i % identities.length];
        const response = await fetch(url('public.whoami/0/0/0.pbf'), { headers: identity.headers });
        if (response.status !== 200) return `status ${response.status}`;
        const seen = decodeTile(await response.arrayBuffer())['public.whoami'][0].properties as { role: string; sub: string; claims: string };
        const claimsSub = (JSON.parse(seen.claims) as { sub?: string }).sub ?? '';
        return seen.role === identity.role && seen.sub === identity.sub && claimsSub === identity.sub ? 'ok' : `${seen.role}/${seen.sub} for ${identity.role}/${identity.sub}`;
      }),
    );
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
  });

  it('cancels an abandoned statement through PgBouncer', async () => {
    await db.admin(`CREATE FUNCTION public.slow(z integer, x integer, y integer, seconds float8 DEFAULT 10) RETURNS bytea LANGUAGE sql AS $$ SELECT ''::bytea FROM pg_sleep(seconds) $$`);
    const request = httpRequest(url('public.slow/0/0/0.pbf'));
    request.on('error', () => undefined);
    request.end();
    const active = () => db.admin(`SELECT pid FROM pg_stat_activity WHERE query LIKE '%"slow"%' AND state = 'active' AND pid <> pg_backend_pid()`);
    for (let i = 0; i < 100 && (await active()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await active()).toHaveLength(1);
    request.destroy();
    for (let i = 0; i < 100 && (await active()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await active()).toHaveLength(0);
  });

  it('reads the tile cache\'s privilege stamps through it: a statement another client prepared on the server connection is no error', async () => {
    // One server connection for everyone: both check connections of a cached server prepare the
    // same statement there (42P05), or find it gone on another (26000).
    const narrow = await startTransactionPooler(cluster.port, db, { defaultPoolSize: 1, ignoreStartupParameters: ['extra_float_digits'] });
    const cached = await startServer(roleSwitching({ ...db, authenticatorUrl: narrow.url(db.authenticatorUrl) }, { DbPoolMaxConns: 8, DbTimeout: 60, TileCacheTTL: 60 }));
    try {
      const statuses: number[] = [];
      for (let round = 0; round < 10; round++) {
        const answers = await Promise.all(
          Array.from({ length: 6 }, async (_, i) => {
            const response = await fetch(`${cached.url}/public.places/4/${round}/${i}.pbf`);
            await response.arrayBuffer();
            return response.status;
          }),
        );
        statuses.push(...answers);
      }
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    } finally {
      await cached.close();
      await narrow.stop();
    }
  });
});
