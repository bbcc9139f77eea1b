import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ClusterDatabase, createDatabaseOn, startThrowawayCluster, ThrowawayCluster } from './support/throwaway-cluster';
import { PgBouncer, startTransactionPooler } from './support/pgbouncer';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching } from './support/e2e-context';
import { bearer, token } from './support/tokens';

/**
 * Behind a transaction-mode PgBouncer, one server connection serves tilegate's tile transactions
 * (where a tenant's own code runs, as the tenant) and its check lane (the privilege stamps, as the
 * login role). A tenant with a schema of its own leaves the session's search_path pointing at an
 * operator of its own: the stamp statement must resolve none of its operators through it, or the
 * tenant's function runs as the authenticator, outside any request. (Code a role wrote can reach
 * the login role's roles by SET ROLE in its own request anyway, docs/security.md, "What is left to
 * the deployment": this is one fewer way, not the only one.) [FOUND] failed when first written
 * (the stamp SQL compared oids with a bare `=` and `IN`, and negated an int8).
 */
describe('tile cache behind a transaction pooler: what a tenant leaves in a shared session', () => {
  let cluster: ThrowawayCluster;
  let db: ClusterDatabase;
  let bouncer: PgBouncer;
  let server: TestServer;
  const tenant = () => bearer(token({ role: db.roles.member }));

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    db = await createDatabaseOn(cluster, readFileSync(join(__dirname, 'fixtures', 'core.sql'), 'utf8'));
    await db.admin(`
      CREATE SCHEMA tenant_code AUTHORIZATION ${db.roles.member};
      SET ROLE ${db.roles.member};
      GRANT USAGE ON SCHEMA tenant_code TO PUBLIC;
      CREATE TABLE tenant_code.evidence (who text);
      GRANT INSERT ON tenant_code.evidence TO PUBLIC;
      -- Runs as whoever calls it: it records who that was.
      CREATE FUNCTION tenant_code.spy_eq(a oid, b oid) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO tenant_code.evidence VALUES (current_user);
          RETURN a OPERATOR(pg_catalog.=) b;
        END $$;
      CREATE OPERATOR tenant_code.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = tenant_code.spy_eq);
      CREATE FUNCTION tenant_code.spy_negate(a int8) RETURNS int8 LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO tenant_code.evidence VALUES (current_user);
          RETURN 0 OPERATOR(pg_catalog.-) a;
        END $$;
      -- -2::int8 is -(2::int8): a prefix operator, not a constant.
      CREATE OPERATOR tenant_code.- (RIGHTARG = int8, FUNCTION = tenant_code.spy_negate);
      -- A function layer: leaves the session (not just its transaction) with its schema first.
      CREATE FUNCTION tenant_code.poison(z integer, x integer, y integer) RETURNS bytea LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_catalog.set_config('search_path', 'tenant_code, pg_catalog', false);
          RETURN ''::bytea;
        END $$;
      RESET ROLE`);
    // One server connection for every client connection: the tile pool's and the check lane's.
    bouncer = await startTransactionPooler(cluster.port, db, { defaultPoolSize: 1, ignoreStartupParameters: ['extra_float_digits'] });
    server = await startServer(roleSwitching({ ...db, authenticatorUrl: bouncer.url(db.authenticatorUrl) }, { DbPoolMaxConns: 4, DbTimeout: 10, TileCacheTTL: 60 }));
  });
  afterAll(async () => {
    await server?.close();
    await bouncer?.stop();
    await cluster?.destroy();
  });

  it('[FOUND] a search_path left behind by a function layer runs none of its operators in the privilege stamp read', async () => {
    const poisoned = await fetch(`${server.url}/tenant_code.poison/0/0/0.pbf`, { headers: tenant() });
    await poisoned.arrayBuffer();
    expect(poisoned.status).toBe(200);
    // The control: the shared session (reached through the same PgBouncer) now resolves `=` on
    // oids to tenant_code.= first, and a bare comparison there runs the tenant's function.
    const shared = new Client({ connectionString: bouncer.url(db.authenticatorUrl) });
    await shared.connect();
    try {
      expect((await shared.query('SHOW search_path')).rows[0].search_path).toBe('tenant_code, pg_catalog');
      await shared.query('SELECT 1 WHERE 1::oid = 1::oid');
    } finally {
      await shared.end();
    }
    expect(await db.admin<{ who: string }>('DELETE FROM tenant_code.evidence RETURNING who')).toEqual([{ who: db.roles.authenticator }]);
    // Cacheable (TileCacheTTL): each request reads the privilege stamps, on that same session,
    // and a hit is one that did (the first may be `off` while the layer's watch state is read).
    const sources: Array<string | null> = [];
    while (sources.filter((source) => source === 'hit').length < 2 && sources.length < 8) {
      const response = await fetch(`${server.url}/public.places/0/0/0.pbf`, { headers: tenant() });
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      sources.push(response.headers.get('tilegate-cache'));
    }
    expect([['miss', 'hit', 'hit'], ['off', 'miss', 'hit', 'hit']]).toContainEqual(sources);
    expect(await db.admin<{ who: string }>('SELECT DISTINCT who FROM tenant_code.evidence')).toEqual([]);
  });
});
