import { generateKeyPairSync } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startServer, TestServer } from './support/test-server';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { bearer, TEST_SECRET, token } from './support/tokens';
import { fetchTile } from './support/mvt';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('roles, tokens and status codes', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db, { JwtAudience: ['tilegate', 'maps'] }));
  const whoami = async (headers: Record<string, string> = {}) => {
    const features = (await fetchTile(`${ctx.server.url}/public.whoami/0/0/0.pbf`, headers))['public.whoami'];
    expect(features).toHaveLength(1);
    return features[0].properties as { role: string; claims: string; sub: string };
  };

  describe('which role a request runs as', () => {
    it('runs a request without a token as AnonRole with empty claims', async () => {
      expect(await whoami()).toEqual({ role: ctx.db.roles.anon, claims: '{}', sub: '' });
    });

    it('runs a request with a token as its role claim, with the claims for SQL', async () => {
      const claims = { role: ctx.db.roles.member, sub: 'user-42', aud: 'tilegate' };
      const seen = await whoami(bearer(token(claims)));
      expect(seen.role).toBe(ctx.db.roles.member);
      expect(seen.sub).toBe('user-42');
      expect(JSON.parse(seen.claims)).toMatchObject(claims);
    });

    it('runs a token without a role claim as AnonRole, but with its claims', async () => {
      const seen = await whoami(bearer(token({ sub: 'someone', aud: 'maps' })));
      expect(seen.role).toBe(ctx.db.roles.anon);
      expect(seen.sub).toBe('someone');
    });

    it('accepts HS384 and HS512 tokens signed with the secret', async () => {
      for (const algorithm of ['HS384', 'HS512'] as const) {
        expect((await whoami(bearer(token({ role: ctx.db.roles.member, aud: 'tilegate' }, { algorithm })))).role).toBe(ctx.db.roles.member);
      }
    });

    it('accepts a token expired within JwtClockSkew', async () => {
      const seen = await whoami(bearer(token({ role: ctx.db.roles.member, aud: 'tilegate', exp: now() - 10 })));
      expect(seen.role).toBe(ctx.db.roles.member);
    });
  });

  describe('row level security from claims', () => {
    it('gives two users of the same role the rows of their own region', async () => {
      const regional = (region: string) => bearer(token({ role: ctx.db.roles.regional, region, aud: 'tilegate' }));
      const north = (await fetchTile(`${ctx.server.url}/public.regional_sites/0/0/0.pbf`, regional('north')))['public.regional_sites'];
      const south = (await fetchTile(`${ctx.server.url}/public.regional_sites/0/0/0.pbf`, regional('south')))['public.regional_sites'];
      expect(north.map((f) => f.properties.name).sort()).toEqual(['Northern depot', 'Northern yard']);
      expect(south.map((f) => f.properties.name)).toEqual(['Southern depot']);
      const anonymous = await fetchTile(`${ctx.server.url}/public.regional_sites/0/0/0.pbf`);
      expect(anonymous['public.regional_sites'] ?? []).toHaveLength(0);
    });
  });

  describe('401 for tokens that do not verify', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cases: Array<[string, () => string, RegExp]> = [
      ['a non-Bearer scheme', () => 'Basic dXNlcjpwYXNz', /Authorization header/],
      ['Bearer without a token', () => 'Bearer', /Authorization header/],
      ['a token that is not a JWT', () => 'Bearer not-a-jwt', /Authorization header/],
      ['a malformed JWT', () => `Bearer ${b64({ alg: 'HS256' })}.bm90IGpzb24.c2ln`, /malformed|signature/],
      ['a bad signature', () => `Bearer ${token({ role: 'x', aud: 'tilegate' }, {}, 'another-secret-that-is-long-enough-000000')}`, /signature does not verify/],
      ['alg none', () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'x', aud: 'tilegate', exp: now() + 60 })}.`, /algorithm/],
      ['an RS256 token', () => `Bearer ${sign({ role: 'x', aud: 'tilegate' }, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { algorithm: 'RS256' })}`, /algorithm/],
      ['a token expired beyond the skew', () => `Bearer ${token({ role: 'x', aud: 'tilegate', exp: now() - 120 })}`, /expired/],
      ['a token not valid yet', () => `Bearer ${token({ role: 'x', aud: 'tilegate', nbf: now() + 600 })}`, /not valid yet/],
      ['a token for another audience', () => `Bearer ${token({ role: 'x', aud: 'someone-else' })}`, /audience/],
      ['a role claim that is not a string', () => `Bearer ${token({ role: { name: 'postgres' }, aud: 'tilegate' })}`, /role claim must be a string/],
      ['a role claim that is a number', () => `Bearer ${token({ role: 42, aud: 'tilegate' })}`, /role claim must be a string/],
    ];
    it.each(cases)('refuses %s with WWW-Authenticate and a JSON body that names the check', async (_name, header, description) => {
      const authorization = header();
      for (const path of ['public.places/0/0/0.pbf', 'index.json', 'public.places.json']) {
        const response = await fetch(`${ctx.server.url}/${path}`, { headers: { Authorization: authorization } });
        expect(response.status).toBe(401);
        const challenge = response.headers.get('www-authenticate')!;
        expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
        expect(challenge).toMatch(description);
        const body = await response.json();
        expect(body.code).toBe('invalid_token');
        expect(body.message).toMatch(description);
        const text = JSON.stringify(body) + challenge;
        const tokenPart = authorization.split(' ')[1];
        if (tokenPart) expect(text).not.toContain(tokenPart);
        expect(text).not.toContain(TEST_SECRET);
      }
    });
  });

  describe('403 for roles the authenticator cannot assume', () => {
    const refused = async (role: unknown) => {
      const response = await fetch(`${ctx.server.url}/public.places/0/0/0.pbf`, { headers: bearer(token({ role, aud: 'tilegate' })) });
      expect(response.status).toBe(403);
      return response.json();
    };

    it('gives one answer for a role that does not exist and one that is not granted', async () => {
      const absent = await refused('no_such_role_anywhere');
      const notGranted = await refused('postgres');
      expect(absent).toEqual({ code: 'role_not_permitted', message: 'the role in the token may not be used with this server' });
      expect(notGranted).toEqual(absent);
    });

    it.each([
      ['an injection attempt', `${'anonymous_user'}; SELECT 1`],
      ['a quoted superuser name', '"postgres"'],
      ['a quote-breaking name', "x', true); SET ROLE postgres; --"],
      ['an empty role', ''],
      ['a 10,000 character name', 'r'.repeat(10000)],
    ])('refuses %s and never runs it', async (_name, role) => {
      await refused(role);
    });

    it('runs none of the SQL an injected role claim carries', async () => {
      await refused(`${ctx.db.roles.anon}', true); CREATE TABLE public.pwned (); --`);
      await refused(`${ctx.db.roles.anon}; CREATE TABLE public.pwned ();`);
      await refused(`${ctx.db.roles.anon}\\'; CREATE TABLE public.pwned (); --`);
      expect(await ctx.db.admin(`SELECT 1 FROM pg_class WHERE relname = 'pwned'`)).toHaveLength(0);
    });

    it('refuses a claim naming the anonymous role with SQL appended, even though the prefix is a real role', async () => {
      await refused(`${ctx.db.roles.anon}; SELECT 1`);
      await refused(`${ctx.db.roles.anon}", "postgres`);
    });

    it('still serves the next request on the same pooled connection as the right role', async () => {
      await refused('postgres');
      expect((await whoami()).role).toBe(ctx.db.roles.anon);
    });
  });

  describe('404 never reveals whether a layer exists', () => {
    it('answers a forbidden layer exactly like an unknown one', async () => {
      const forbidden = await fetch(`${ctx.server.url}/public.member_only/0/0/0.pbf`);
      const unknown = await fetch(`${ctx.server.url}/public.nothing_here/0/0/0.pbf`);
      expect(forbidden.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(Object.keys(await forbidden.json())).toEqual(Object.keys(await unknown.json()));
      const member = await fetch(`${ctx.server.url}/public.member_only/0/0/0.pbf`, { headers: bearer(token({ role: ctx.db.roles.member, aud: 'tilegate' })) });
      expect(member.status).toBe(200);
    });
  });

  describe('503 when the database is slow or busy', () => {
    let slow: TestServer;
    beforeAll(async () => {
      await ctx.db.admin(`CREATE FUNCTION public.slow(z integer, x integer, y integer, seconds float8 DEFAULT 0.7) RETURNS bytea LANGUAGE sql AS $$ SELECT pg_sleep(seconds), ''::bytea $$`.replace('SELECT pg_sleep(seconds), \'\'::bytea', "SELECT ''::bytea FROM pg_sleep(seconds)"));
      slow = await startServer(roleSwitching(ctx.db, { DbTimeout: 1, DbPoolMaxConns: 1 }));
    });
    afterAll(() => slow?.close());

    it('turns a statement timeout into 503 with Retry-After', async () => {
      const response = await fetch(`${slow.url}/public.slow/0/0/0.pbf?seconds=3`);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = await response.json();
      expect(body.code).toBe('service_unavailable');
      expect(JSON.stringify(body)).not.toMatch(/pg_sleep|statement|SELECT/i);
    });

    it('turns a pool that stays exhausted into 503 with Retry-After', async () => {
      const statuses = await Promise.all([0, 1, 2].map(() => fetch(`${slow.url}/public.slow/0/0/0.pbf`).then((r) => r.status)));
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
      expect(statuses).toContain(503);
      // The pool recovers: connections were released, not leaked.
      expect((await fetch(`${slow.url}/public.slow/0/0/0.pbf?seconds=0`)).status).toBe(200);
    });
  });
});

describe('starting with a dangerous or broken role setup', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase('core.sql')));
  afterAll(() => db?.drop());

  it('refuses to start with JWT on when the login role is a superuser, and says why', async () => {
    await expect(startServer(roleSwitching(db, { DbConnection: db.adminUrl }))).rejects.toThrow(/superuser.*AllowPrivilegedAuthenticator/s);
  });

  it('refuses a login role that can become a BYPASSRLS role', async () => {
    const bypass = `${db.roles.anon}_bypass`;
    await db.admin(`CREATE ROLE ${bypass} NOLOGIN BYPASSRLS; GRANT ${bypass} TO ${db.roles.authenticator}`);
    try {
      await expect(startServer(roleSwitching(db))).rejects.toThrow(/BYPASSRLS/);
    } finally {
      await db.admin(`DROP ROLE ${bypass}`);
    }
  });

  it('starts anyway when AllowPrivilegedAuthenticator is set', async () => {
    const server = await startServer(roleSwitching(db, { DbConnection: db.adminUrl, AllowPrivilegedAuthenticator: true }));
    await server.close();
  });

  it('refuses an AnonRole the login role cannot become, naming the key', async () => {
    await expect(startServer(roleSwitching(db, { AnonRole: 'postgres' }))).rejects.toThrow(/AnonRole/);
  });

  it('keeps two applications in one process apart: each verifies with its own keys', async () => {
    const otherSecret = 'another-secret-that-is-long-enough-for-hs256';
    const first = await startServer(roleSwitching(db));
    const second = await startServer(roleSwitching(db, { JwtSecret: otherSecret }));
    try {
      const firstToken = bearer(token({ role: db.roles.member }));
      const secondToken = bearer(token({ role: db.roles.member }, {}, otherSecret));
      expect((await fetch(`${first.url}/public.member_only/0/0/0.pbf`, { headers: firstToken })).status).toBe(200);
      expect((await fetch(`${first.url}/public.member_only/0/0/0.pbf`, { headers: secondToken })).status).toBe(401);
      expect((await fetch(`${second.url}/public.member_only/0/0/0.pbf`, { headers: secondToken })).status).toBe(200);
      expect((await fetch(`${second.url}/public.member_only/0/0/0.pbf`, { headers: firstToken })).status).toBe(401);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('runs every request as the login role when no JwtSecret is set, as pg_tileserv does', async () => {
    const server = await startServer({ DbConnection: db.authenticatorUrl });
    try {
      const seen = (await fetchTile(`${server.url}/public.whoami/0/0/0.pbf`))['public.whoami'][0].properties;
      expect(seen.role).toBe(db.roles.authenticator);
      // NOINHERIT authenticator without a switch reads nothing it was not granted itself.
      expect((await fetch(`${server.url}/public.places/0/0/0.pbf`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
