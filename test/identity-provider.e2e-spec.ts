import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startServer, TestServer } from './support/test-server';
import { IdentityProvider } from './support/identity-provider';
import { Settings } from './support/e2e-context';
import { fetchTile } from './support/mvt';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Tokens shaped like Keycloak's and Entra ID's, from a real (stand-in) provider with rotating keys. */
describe('tokens from an identity provider', () => {
  let db: TestDatabase;
  let idp: IdentityProvider;
  const servers: TestServer[] = [];
  const serve = async (settings: Settings) => {
    const server = await startServer({ DbConnection: db.authenticatorUrl, AnonRole: db.roles.anon, ...settings });
    servers.push(server);
    return server;
  };
  const get = (server: TestServer, path: string, token?: string) => fetch(`${server.url}/${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const whoami = async (server: TestServer, token: string) => (await fetchTile(`${server.url}/public.whoami/0/0/0.pbf`, { Authorization: `Bearer ${token}` }))['public.whoami'][0].properties;
  const refusal = async (server: TestServer, token: string) => {
    const response = await get(server, 'public.places/0/0/0.pbf', token);
    const body = response.status === 401 ? await response.json() : undefined;
    return { status: response.status, description: response.headers.get('www-authenticate') ?? '', body };
  };

  // Keycloak: discovery from the issuer, audience as an array, roles under realm_access, azp.
  let keycloak: TestServer;
  const keycloakToken = (claims: Record<string, unknown>, kid = 'rsa-1', header: Record<string, unknown> = {}) =>
    idp.sign(kid, { aud: ['tilegate', 'account'], azp: 'tilegate-web', sub: 'kc-user', realm_access: { roles: [db.roles.regional, 'offline_access'] }, ...claims }, header);

  beforeAll(async () => {
    db = await createTestDatabase('core.sql');
    idp = await new IdentityProvider().start();
    await idp.addKey('rsa-1', 'RS256');
    await idp.addKey('ec-1', 'ES256');
    await idp.addKey('ps-1', 'PS256');
    await idp.addKey('ed-1', 'EdDSA', { crv: 'Ed25519' });
    keycloak = await serve({ JwtIssuer: idp.issuer, JwtAudience: ['tilegate'], JwtRoleClaimKey: '.realm_access.roles[0]', JwtJwksCooldown: 0 });
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await idp?.stop();
    await db?.drop();
  });

  describe('Keycloak-shaped tokens, keys by OpenID discovery', () => {
    it('runs as the role at .realm_access.roles[0], with every claim for SQL', async () => {
      const seen = await whoami(keycloak, await keycloakToken({ region: 'north' }));
      expect(seen.role).toBe(db.roles.regional);
      expect(seen.sub).toBe('kc-user');
      expect(JSON.parse(seen.claims as string)).toMatchObject({ azp: 'tilegate-web', aud: ['tilegate', 'account'], realm_access: { roles: [db.roles.regional, 'offline_access'] } });
    });

    it('gives two users of the same role the rows their region claim allows (RLS)', async () => {
      const sites = async (region: string) =>
        (await fetchTile(`${keycloak.url}/public.regional_sites/0/0/0.pbf`, { Authorization: `Bearer ${await keycloakToken({ region })}` }))['public.regional_sites'].map((f) => f.properties.name).sort();
      expect(await sites('north')).toEqual(['Northern depot', 'Northern yard']);
      expect(await sites('south')).toEqual(['Southern depot']);
    });

    it('accepts RS256, ES256, PS256 and EdDSA keys from the set', async () => {
      for (const kid of ['rsa-1', 'ec-1', 'ps-1', 'ed-1']) expect((await whoami(keycloak, await keycloakToken({}, kid))).role).toBe(db.roles.regional);
    });

    it('picks up a rotated-in key with one JWK set fetch', async () => {
      await idp.addKey('rsa-2', 'RS256');
      const before = idp.jwksFetches;
      const [a, b] = await Promise.all([whoami(keycloak, await keycloakToken({}, 'rsa-2')), whoami(keycloak, await keycloakToken({}, 'rsa-2'))]);
      expect([a.role, b.role]).toEqual([db.roles.regional, db.roles.regional]);
      expect(idp.jwksFetches).toBe(before + 1);
      await whoami(keycloak, await keycloakToken({}, 'rsa-2'));
      expect(idp.jwksFetches).toBe(before + 1); // known now: no further fetch
    });

    it('stops accepting a withdrawn key once the set has been fetched again', async () => {
      await idp.addKey('rsa-3', 'RS256');
      const old = await keycloakToken({}, 'rsa-3');
      expect((await whoami(keycloak, old)).role).toBe(db.roles.regional);
      idp.withdraw('rsa-3');
      // Any unknown kid makes tilegate fetch the set again; rsa-3 is gone from it.
      await idp.addKey('never-published', 'RS256', { publish: false });
      expect((await refusal(keycloak, await keycloakToken({}, 'never-published'))).status).toBe(401);
      const after = await refusal(keycloak, old);
      expect(after.status).toBe(401);
      expect(after.description).toMatch(/unknown key/);
    });
  });

  describe('Entra ID-shaped tokens, a JWK set URL and a role map', () => {
    let entra: TestServer;
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const entraToken = (roles: unknown, extra: Record<string, unknown> = {}) =>
      idp.sign('ec-1', { iss: `https://login.microsoftonline.com/${tenant}/v2.0`, aud: 'api://tilegate', tid: tenant, oid: '0b5c6c1a-4b5e-4d8a-9d2a-5a8f1c9e2b11', roles, region: 'south', ...extra });

    beforeAll(async () => {
      entra = await serve({
        JwtJwksUrl: idp.jwksUrl,
        JwtIssuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
        JwtAudience: ['api://tilegate'],
        JwtRoleClaimKey: 'roles',
        JwtRoleMap: { 'Tiles.Regional': db.roles.regional, 'Tiles.Member': db.roles.member },
        JwtAlgorithms: ['ES256', 'RS256'],
      });
    });

    it('maps the first app role the map knows to a database role, and passes tid and oid to SQL', async () => {
      const seen = await whoami(entra, await entraToken(['Tiles.Other', 'Tiles.Member']));
      expect(seen.role).toBe(db.roles.member);
      expect(JSON.parse(seen.claims as string)).toMatchObject({ tid: tenant, roles: ['Tiles.Other', 'Tiles.Member'] });
      const sites = await fetchTile(`${entra.url}/public.regional_sites/0/0/0.pbf`, { Authorization: `Bearer ${await entraToken(['Tiles.Regional'])}` });
      expect(sites['public.regional_sites'].map((f) => f.properties.name)).toEqual(['Southern depot']);
    });

    it('refuses app roles the map does not know (403), and a token without roles runs as AnonRole', async () => {
      expect((await get(entra, 'public.places/0/0/0.pbf', await entraToken(['Tiles.Admin']))).status).toBe(403);
      expect((await whoami(entra, await entraToken(undefined))).role).toBe(db.roles.anon);
    });

    it('refuses app roles that are not strings as an invalid token', async () => {
      const result = await refusal(entra, await entraToken([1, { role: 'x' }]));
      expect(result.status).toBe(401);
      expect(result.description).toMatch(/roles claim must be a string or a list of strings/);
    });

    it('refuses algorithms JwtAlgorithms leaves out', async () => {
      const token = await idp.sign('ed-1', { iss: `https://login.microsoftonline.com/${tenant}/v2.0`, aud: 'api://tilegate', roles: ['Tiles.Member'] });
      expect((await refusal(entra, token)).description).toMatch(/algorithm/);
    });
  });

  describe('attacks that must fail', () => {
    let evil: IdentityProvider;
    beforeAll(async () => {
      evil = await new IdentityProvider().start();
      await evil.addKey('rsa-1', 'RS256'); // same kid as a real key, different key
      await evil.addKey('evil-1', 'RS256');
    });
    afterAll(() => evil.stop());

    const attacks: Array<[string, () => Promise<string>, RegExp]> = [
      ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: idp.issuer, aud: 'tilegate', exp: now() + 60, realm_access: { roles: ['postgres'] } })}.`, /algorithm/],
      [
        'HS256 signed with the RSA public key as the HMAC secret (algorithm confusion)',
        async () => {
          const pem = (await import('node:crypto')).createPublicKey({ key: (await fetch(idp.jwksUrl).then((r) => r.json())).keys.find((k: { kid: string }) => k.kid === 'rsa-1'), format: 'jwk' }).export({ type: 'spki', format: 'pem' });
          const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' })}.${b64({ iss: idp.issuer, aud: 'tilegate', exp: now() + 60, realm_access: { roles: [db.roles.member] } })}`;
          return `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
        },
        /algorithm/,
      ],
      ['a key not in the JWK set, under a real kid', () => evil.sign('rsa-1', { iss: idp.issuer, aud: 'tilegate', realm_access: { roles: [db.roles.member] } }), /signature does not verify/],
      ['a kid that climbs out of the set', () => evil.sign('evil-1', { iss: idp.issuer, aud: 'tilegate' }, { kid: '../../../etc/passwd' }), /unknown key/],
      ['a kid that is a URL', () => evil.sign('evil-1', { iss: idp.issuer, aud: 'tilegate' }, { kid: `${evil.jwksUrl}#evil-1` }), /unknown key/],
      ['jku and x5u pointing at another key server', () => evil.sign('evil-1', { iss: idp.issuer, aud: 'tilegate' }, { jku: evil.jwksUrl, x5u: `${evil.baseUrl}/cert.pem` }), /unknown key/],
      ['expired beyond the skew', () => keycloakToken({ exp: now() - 120 }), /expired/],
      ['not valid yet', () => keycloakToken({ nbf: now() + 600 }), /not valid yet/],
      ['issued in the future', () => keycloakToken({ iat: now() + 600 }), /issued in the future/],
      ['another audience', () => keycloakToken({ aud: 'someone-else' }), /audience/],
      ['another issuer', () => keycloakToken({ iss: 'https://evil.example/realms/tilegate' }), /issuer/],
      ['a role claim that is an object', () => keycloakToken({ realm_access: { roles: [{ name: 'postgres' }] } }), /must be a string/],
      ['a role claim that is a number', () => keycloakToken({ realm_access: { roles: [42] } }), /must be a string/],
      ['claims 64 levels deep', () => keycloakToken({ deep: Array.from({ length: 64 }).reduce((inner) => ({ inner }), {}) }), /nest too deeply/],
    ];

    it.each(attacks)('refuses %s with 401 saying which check failed', async (_name, make, description) => {
      const token = await make();
      const result = await refusal(keycloak, token);
      expect(result.status).toBe(401);
      expect(result.description).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
      expect(result.description).toMatch(description);
      expect(result.body.message).toMatch(description);
      expect(JSON.stringify(result.body)).not.toContain(token.split('.')[1]);
      expect(evil.requests).toEqual([]);
    });

    it('accepts a token expired within the skew', async () => {
      expect((await whoami(keycloak, await keycloakToken({ exp: now() - 10 }))).role).toBe(db.roles.regional);
    });

    it.each([
      ['names postgres', 'postgres'],
      ['is 10,000 characters', 'r'.repeat(10000)],
    ])('refuses a role claim that %s with 403', async (_name, role) => {
      expect((await get(keycloak, 'public.places/0/0/0.pbf', await keycloakToken({ realm_access: { roles: [role] } }))).status).toBe(403);
    });

    it('refuses a 1 MB token without a 5xx', async () => {
      const status = await get(keycloak, 'index.json', `${b64({ alg: 'RS256' })}.${'a'.repeat(1024 * 1024)}.sig`).then(
        (r) => r.status,
        () => 431,
      );
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    });
  });

  describe('when the identity provider is unreachable', () => {
    it('keeps known keys working, and logs the failure once rather than per request', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error');
      const server = await serve({ JwtJwksUrl: idp.jwksUrl, JwtJwksCacheTTL: 1, JwtJwksCooldown: 0, JwtRoleClaimKey: '.realm_access.roles[0]' });
      try {
        const token = await keycloakToken({});
        expect((await whoami(server, token)).role).toBe(db.roles.regional);
        idp.down = true;
        await new Promise((resolve) => setTimeout(resolve, 1200));
        for (let i = 0; i < 5; i++) {
          expect((await whoami(server, token)).role).toBe(db.roles.regional);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect((await whoami(server, token)).role).toBe(db.roles.regional);
        const logged = errors.mock.calls.filter(([message]) => String(message).includes('cannot fetch the JWK set'));
        expect(logged).toHaveLength(1);
      } finally {
        idp.down = false;
        errors.mockRestore();
      }
    });

    it('starts even when the provider is down, and verifies once it is back', async () => {
      idp.down = true;
      const server = await serve({ JwtIssuer: idp.issuer, JwtAudience: ['tilegate'], JwtRoleClaimKey: '.realm_access.roles[0]', JwtJwksCooldown: 0 });
      const token = await keycloakToken({});
      expect((await refusal(server, token)).status).toBe(401);
      idp.down = false;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await whoami(server, token)).role).toBe(db.roles.regional);
    });
  });
});
