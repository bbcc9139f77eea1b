import { monitorEventLoopDelay } from 'node:perf_hooks';
import { withClient } from '../scripts/lib/pg-admin';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, rawToken, token } from './support/tokens';
import { decodeTile, fetchTile } from './support/mvt';
import { LayerRegistry } from '../apps/tilegate/src/catalog/layer-registry';

/**
 * The attacks of the security review (issue #10), each as it was shown against a running server.
 * docs/security.md lists the threats and points here.
 */
describe('attacks on the role switch and the catalog', () => {
  const ctx = serveTestDatabase('security.sql', (db) => roleSwitching(db, { DbPoolMaxConns: 1, DbTimeout: 2 }));
  const url = (path: string) => `${ctx.server.url}/${path}`;
  const as = (role: string, claims: Record<string, unknown> = {}) => bearer(token({ role, ...claims }));
  const attacker = () => as(ctx.db.roles.analyst);
  const victim = () => as(ctx.db.roles.member);

  describe("a role's own functions never run in a request, nor in what all roles share", () => {
    it('ignores look-alike PostGIS and catalog functions in the schema named after the role', async () => {
      // The attacker loads the catalog first (index.json, detail, TileJSON) and asks for tiles.
      for (const path of ['index.json', 'public.places.json', 'public.places/tilejson.json', 'public.kinds.json', 'public.places/0/0/0.pbf', 'public.kinds/0/0/0.pbf?kind=city']) {
        expect((await fetch(url(path), { headers: attacker() })).status).toBe(200);
      }
      // Then the victim's ordinary requests.
      const detail = await (await fetch(url('public.places.json'), { headers: victim() })).json();
      expect(detail.srid).toBe(4326);
      expect(detail.geometrytype).toBe('Point');
      const places = (await fetchTile(url('public.places/0/0/0.pbf'), victim()))['public.places'];
      expect(places.map((f) => f.id).sort()).toEqual([1, 2]);
      const kinds = (await fetchTile(url('public.kinds/0/0/0.pbf?kind=city'), victim()))['public.kinds'];
      expect(kinds).toHaveLength(2);
      // Not one of the look-alikes ran, as anyone, and nothing was copied.
      const [calls] = await ctx.db.admin<{ is_called: boolean }>(`SELECT is_called FROM "${ctx.db.roles.analyst}".calls`);
      expect(calls.is_called).toBe(false);
      expect(await ctx.db.admin(`SELECT * FROM "${ctx.db.roles.analyst}".stolen`)).toEqual([]);
    });
  });

  describe('an invisible layer cannot be told from an unknown one', () => {
    const answer = async (path: string, name: string) => {
      const response = await fetch(url(path));
      const body = await response.text();
      return { status: response.status, body: body.split(name).join('<name>'), cache: response.headers.get('cache-control'), vary: response.headers.get('vary') };
    };
    it.each([
      ['public.member_only', 'public.member_onlx', ['/0/0/0.pbf', '/0/0/0.pbf?properties=zzz', '/0/0/0.pbf?limit=abc', '/0/0/0.pbf?limit=1&limit=2', '/0/0/0.pbf?colour=red', '.json', '/tilejson.json', '/0/0/0.pbf?filter=x%3D1']],
      ['public.member_fn', 'public.member_fx', ['/0/0/0.pbf', '/0/0/0.pbf?level=abc', '/0/0/0.pbf?zzz=1', '/0/0/0.pbf?level=99999999999', '.json', '/tilejson.json']],
      ['public.places,public.member_only', 'public.places,public.member_onlx', ['/0/0/0.pbf', '/0/0/0.pbf?properties=secret', '/0/0/0.pbf?limit=abc']],
      ['public.places,public.member_fn', 'public.places,public.member_fx', ['/0/0/0.pbf']],
    ])('answers for %s exactly as for %s', async (hidden, unknown, suffixes) => {
      for (const suffix of suffixes as string[]) {
        const forHidden = await answer(`${hidden}${suffix}`, hidden);
        expect({ suffix, ...forHidden }).toEqual({ suffix, ...(await answer(`${unknown}${suffix}`, unknown)) });
        expect(forHidden.status).toBe(404);
      }
    });

    it('still says what is wrong with a parameter of a layer the role can see', async () => {
      const response = await fetch(url('public.member_only/0/0/0.pbf?limit=abc'), { headers: victim() });
      expect(response.status).toBe(400);
      expect((await response.json()).message).toMatch(/'limit'/);
    });
  });

  describe('claims', () => {
    const anonymousCount = async (layer: string) => (await fetchTile(url(`${layer}/0/0/0.pbf`)))[layer]?.length ?? 0;

    it('leave no trace on the pooled connection: an absent claim reads the same before and after a token used it', async () => {
      const before = await anonymousCount('public.signed_in_only');
      const withSub = await fetchTile(url('public.signed_in_only/0/0/0.pbf'), as(ctx.db.roles.member, { sub: 'user-1' }));
      expect(withSub['public.signed_in_only']).toHaveLength(2);
      expect(await anonymousCount('public.signed_in_only')).toBe(before);
      // The documented way reads an absent claim as NULL everywhere.
      expect(await anonymousCount('public.signed_in_nullif')).toBe(0);
      expect((await fetchTile(url('public.signed_in_nullif/0/0/0.pbf'), as(ctx.db.roles.member, { sub: 'user-1' })))['public.signed_in_nullif']).toHaveLength(1);
      expect(await anonymousCount('public.signed_in_nullif')).toBe(0);
    });

    it.each([
      ['an integer above 2^53', '9007199254740993', 'org ...993'],
      ['the integer next to it', '9007199254740992', 'org ...992'],
      ['a decimal longer than a double', '0.10000000000000000001', 'org 0.1000...1'],
    ])('reach PostgreSQL with every digit: %s', async (_what, org, label) => {
      const jwt = rawToken(`{"role":"${ctx.db.roles.member}","org":${org},"exp":${Math.floor(Date.now() / 1000) + 600}}`);
      const rows = (await fetchTile(url('public.tenant_rows/0/0/0.pbf'), bearer(jwt)))['public.tenant_rows'];
      expect(rows.map((f) => f.properties.label)).toEqual([label]);
      const [seen] = (await fetchTile(url('public.claims_seen/0/0/0.pbf'), bearer(jwt)))['public.claims_seen'];
      expect(seen.properties.org).toBe(org);
      expect(seen.properties.claims).toContain(`"org":${org}`);
    });

    it('keep an exponent as written', async () => {
      const jwt = rawToken(`{"role":"${ctx.db.roles.member}","org":1e400,"exp":${Math.floor(Date.now() / 1000) + 600}}`);
      const [seen] = (await fetchTile(url('public.claims_seen/0/0/0.pbf'), bearer(jwt)))['public.claims_seen'];
      expect(seen.properties.org).toBe('1e400');
      expect(seen.properties.claims).toContain('"org":1e400');
    });
  });

  describe('a token can only run as the role it names', () => {
    const refused = async (role: string) => {
      const response = await fetch(url('public.claims_seen/0/0/0.pbf'), { headers: as(role) });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ code: 'role_not_permitted', message: 'the role in the token may not be used with this server' });
    };
    it.each(['none', 'NONE', 'None', 'public', 'PUBLIC', 'pg_read_all_data', 'pg_monitor', 'pg_database_owner', 'current_user', 'session_user'])('refuses %s with the one 403', async (role) => {
      await refused(role);
    });
    it('refuses the login role itself', async () => {
      await refused(ctx.db.roles.authenticator);
    });
    it('refuses them even when the login role holds a predefined role', async () => {
      await ctx.db.admin(`GRANT pg_read_all_data TO ${ctx.db.roles.authenticator}`);
      try {
        await refused('pg_read_all_data');
      } finally {
        await ctx.db.admin(`REVOKE pg_read_all_data FROM ${ctx.db.roles.authenticator}`);
      }
    });
  });

  describe('no input keeps the server busy', () => {
    it('refuses a 12,000-character malformed number at once, twenty at a time', async () => {
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const value = `${'1'.repeat(12000)}x`;
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(url(`public.scaled/0/0/0.pbf?factor=${value}`))));
      delay.disable();
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(400));
      // The test process is the server's process: its event loop was never blocked for long.
      expect(delay.max / 1e6).toBeLessThan(100);
    });

    it('bounds a layer list before looking anything up, and serves each listed layer once', async () => {
      const started = Date.now();
      // Longer than a route parameter may be: the router refuses it before tilegate sees it.
      const tooLong = await fetch(url(`${Array.from({ length: 999 }, (_, i) => `public.nope${i}`).join(',')}/0/0/0.pbf`));
      expect(tooLong.status).toBe(414);
      expect(Object.keys(await tooLong.json()).sort()).toEqual(['code', 'message']);
      const many = await fetch(url(`${Array.from({ length: 150 }, (_, i) => `n${i}`).join(',')}/0/0/0.pbf`));
      expect(many.status).toBe(400);
      expect((await many.json()).message).toMatch(/at most 20 layers/);
      const repeated = await fetchTile(url(`${Array(142).fill('public.places').join(',')}/0/0/0.pbf`));
      expect(Object.keys(repeated)).toEqual(['public.places']);
      expect(repeated['public.places']).toHaveLength(2);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('ends a statement past DbTimeout on the server, with a 503 and Retry-After', async () => {
      const started = Date.now();
      const response = await fetch(url('public.slow/0/0/0.pbf?seconds=20'));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(Date.now() - started).toBeLessThan(5000);
      const running = await ctx.db.admin(`SELECT pid FROM pg_stat_activity WHERE query LIKE '%"slow"%' AND state = 'active' AND pid <> pg_backend_pid()`);
      expect(running).toEqual([]);
    });
  });

  describe('role names in any script', () => {
    const name = () => `${ctx.db.roles.member}_łukasz_日本`;
    beforeAll(async () => {
      await ctx.db.admin(`CREATE ROLE "${name()}" NOLOGIN; GRANT "${name()}" TO ${ctx.db.roles.authenticator}; GRANT SELECT ON public.places TO "${name()}"`);
    });
    afterAll(() => ctx.db.admin(`DROP OWNED BY "${name()}"; DROP ROLE "${name()}"`));

    it('serve the catalog, the pages and tiles, and name the role in an encoded header', async () => {
      for (const path of ['index.json', 'public.places.json', 'public.places/tilejson.json', 'public.places/0/0/0.pbf', '', 'public.places.html']) {
        const response = await fetch(url(path), { headers: as(name()) });
        expect({ path, status: response.status }).toEqual({ path, status: 200 });
      }
      const response = await fetch(url('index.json'), { headers: as(name()) });
      expect(decodeURIComponent(response.headers.get('tilegate-role')!)).toBe(name());
    });
  });

  describe('layer ids are unambiguous', () => {
    it("serves neither a table that takes another owner's function layer's id, nor either of two dotted names", async () => {
      const before = await fetchTile(url('shared.official/0/0/0.pbf'));
      expect(before['shared.official'][0].properties.says).toBe('official');
      // A role with CREATE on the schema plants a table of the same name.
      await withClient(ctx.db.authenticatorUrl, (c) =>
        c.query(`SET ROLE ${ctx.db.roles.member}; CREATE TABLE shared.official (id int PRIMARY KEY, says text, geom geometry(Point, 4326)); INSERT INTO shared.official VALUES (1, 'attacker', 'SRID=4326;POINT(0 0)'); GRANT SELECT ON shared.official TO PUBLIC`),
      );
      const index = await (await fetch(url('index.json'))).json();
      expect(Object.keys(index)).not.toContain('shared.official');
      expect(Object.keys(index)).toContain('shared.untouched');
      expect(Object.keys(index).filter((id) => id.startsWith('dots'))).toEqual([]);
      for (const path of ['shared.official/0/0/0.pbf', 'shared.official.json', 'dots.a.b/0/0/0.pbf', 'dots.a.b.json']) {
        expect({ path, status: (await fetch(url(path))).status }).toEqual({ path, status: 404 });
      }
    });
  });

  describe('arguments that look objects up', () => {
    it('leaves reg* and pseudo-type arguments out of the catalog', async () => {
      const index = await (await fetch(url('index.json'))).json();
      for (const id of ['public.by_regclass', 'public.by_regrole', 'public.by_any']) {
        expect(Object.keys(index)).not.toContain(id);
        for (const query of ['', '?r=postgres', '?r=nosuch', '?rel=public.nothing']) {
          expect({ id, query, status: (await fetch(url(`${id}/0/0/0.pbf${query}`))).status }).toEqual({ id, query, status: 404 });
        }
      }
    });

    it('answers a function that meets no such object with one 400, and does not reload the catalog for it', async () => {
      const registry = ctx.server.app.get(LayerRegistry);
      const invalidate = jest.spyOn(registry, 'invalidate');
      try {
        const exists = await fetch(url('public.looks_up/0/0/0.pbf?name=public.places'));
        expect(exists.status).toBe(200);
        const answers = [];
        for (const name of ['public.nothing', 'nosuch.table', 'public.secrets_missing']) {
          const response = await fetch(url(`public.looks_up/0/0/0.pbf?name=${name}`));
          answers.push({ status: response.status, body: await response.text() });
        }
        expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
        expect(new Set(answers.map((a) => a.body)).size).toBe(1);
        expect(answers[0].body).not.toMatch(/nothing|nosuch|relation/);
        expect(invalidate).not.toHaveBeenCalled();
      } finally {
        invalidate.mockRestore();
      }
    });
  });

  describe('routes and headers', () => {
    it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString'])('answers /assets/%s with the contract 404', async (name) => {
      const response = await fetch(url(`assets/${name}`));
      expect(response.status).toBe(404);
      expect(Object.keys(await response.json()).sort()).toEqual(['code', 'message']);
    });

    it('marks every error answer as no-store and varying on Authorization', async () => {
      for (const [path, headers, status] of [
        ['public.nothing/0/0/0.pbf', {}, 404],
        ['public.places/0/0/0.pbf', { Authorization: 'Bearer x.y.z' }, 401],
        ['public.places/0/0/0.pbf', as('no_such_role'), 403],
        ['public.places/99/0/0.pbf', {}, 400],
      ] as Array<[string, Record<string, string>, number]>) {
        const response = await fetch(url(path), { headers });
        expect({ path, status: response.status, cache: response.headers.get('cache-control'), vary: response.headers.get('vary') }).toEqual({
          path,
          status,
          cache: 'no-store',
          vary: 'Authorization',
        });
      }
    });

    it('makes catalog answers vary on every header that shaped their URLs', async () => {
      const response = await fetch(url('index.json'), { headers: { 'X-Forwarded-Host': 'maps.example', 'X-Forwarded-Proto': 'https' } });
      expect(response.headers.get('vary')).toBe('Authorization, Host, X-Forwarded-Proto, X-Forwarded-Host, Forwarded');
      expect(JSON.stringify(await response.json())).toContain('https://maps.example/');
    });

    it('protects Swagger UI like the pages: no framing, no sniffing', async () => {
      for (const path of ['docs', 'docs/', 'docs-json']) {
        const response = await fetch(url(path));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });
  });

  describe('with TrustForwardedHeaders = false', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(roleSwitching(ctx.db, { TrustForwardedHeaders: false }));
    });
    afterAll(() => server?.close());

    it('builds URLs from Host alone, and varies on it alone', async () => {
      const response = await fetch(`${server.url}/index.json`, { headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' } });
      expect(response.headers.get('vary')).toBe('Authorization, Host');
      const text = JSON.stringify(await response.json());
      expect(text).not.toContain('evil.example');
      expect(text).toContain(server.url);
    });
  });

  describe('tokens without exp', () => {
    it('are refused by default (JwtRequireExp)', async () => {
      const response = await fetch(url('index.json'), { headers: bearer(rawToken(`{"role":"${ctx.db.roles.member}"}`)) });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/no expiry/);
    });

    it('are accepted with JwtRequireExp = false', async () => {
      const lenient = await startServer(roleSwitching(ctx.db, { JwtRequireExp: false }));
      try {
        const tile = decodeTile(await (await fetch(`${lenient.url}/public.claims_seen/0/0/0.pbf`, { headers: bearer(rawToken(`{"role":"${ctx.db.roles.member}"}`)) })).arrayBuffer());
        expect(tile['public.claims_seen'][0].properties.role).toBe(ctx.db.roles.member);
      } finally {
        await lenient.close();
      }
    });
  });
});

