import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { startServer, TestServer } from './support/test-server';
import { bearer, token } from './support/tokens';
import { fetchTile } from './support/mvt';

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Tokens from the database: PostGraphile's pgJwtTypeIdentifier, as JwtTypeIdentifier. */
describe('sign-in functions', () => {
  const ctx = serveTestDatabase('signin.sql', (db) => roleSwitching(db, { JwtTypeIdentifier: 'auth.jwt_token', SignInMaxFailuresPerUser: 3 }));
  const url = (path: string) => `${ctx.server.url}/${path}`;
  const signIn = (email: string, password: string) => fetch(url('auth/auth.authenticate'), json({ email, password }));

  it('lists the sign-in functions the role may call, with their arguments', async () => {
    const anonymous = await (await fetch(url('auth/sign-in'))).json();
    expect(anonymous.functions).toEqual([
      { id: 'auth.authenticate', url: `${ctx.server.url}/auth/auth.authenticate`, description: 'Sign in with an email and a password', arguments: [{ name: 'email', type: 'text' }, { name: 'password', type: 'text' }] },
    ]);
    const member = await (await fetch(url('auth/sign-in'), { headers: bearer(token({ role: ctx.db.roles.member })) })).json();
    expect(member.functions.map((f: { id: string }) => f.id)).toEqual(['auth.staff_login']);
  });

  it("signs a row as a token with the type's fields as claims, every digit kept, and exp from JwtTokenTTL", async () => {
    const response = await signIn('ana@example.com', 'right horse');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toMatchObject({ token_type: 'Bearer' });
    expect(body.expires_in).toBeGreaterThan(3590);
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    const payload = Buffer.from(body.token.split('.')[1], 'base64url').toString();
    expect(payload).toContain('"org":9007199254740993');
    expect(payload).toContain(`"role":"${ctx.db.roles.member}"`);
    // The token works: the database sees its role and claims, and RLS keys on the exact org.
    const who = await (await fetch(url('auth/whoami'), { headers: bearer(body.token) })).json();
    expect(who).toMatchObject({ role: ctx.db.roles.member, anonymous: false, claims: { sub: 'ana@example.com' } });
    expect(Date.parse(who.expires_at) / 1000).toBeCloseTo(Math.floor(Date.now() / 1000) + 3600, -1);
    const sites = (await fetchTile(url('public.org_sites/0/0/0.pbf'), bearer(body.token)))['public.org_sites'];
    expect(sites.map((f) => f.properties.label)).toEqual(["ana's"]);
  });

  it('gives one 401 for an unknown user and a wrong password', async () => {
    const wrong = await signIn('bo@example.com', 'nope');
    const unknown = await signIn('nobody@example.com', 'nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it("converts a timestamp exp to seconds, and offers only functions returning JwtTypeIdentifier's type", async () => {
    expect((await fetch(url('auth/auth.short_lived'), json({ email: 'x@example.com' }))).status).toBe(404);
    const other = await startServer(roleSwitching(ctx.db, { JwtTypeIdentifier: 'auth.jwt_expiring' }));
    try {
      const body = await (await fetch(`${other.url}/auth/auth.short_lived`, json({ email: 'x@example.com' }))).json();
      expect(body.expires_in).toBeGreaterThan(590);
      expect(body.expires_in).toBeLessThanOrEqual(600);
    } finally {
      await other.close();
    }
  });

  it('limits failed sign-ins per user name with a 429 and Retry-After, other users unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('target@example.com', `guess ${i}`)).status).toBe(401);
    const limited = await signIn('target@example.com', 'guess 4');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn('TARGET@example.com', 'guess 5')).status).toBe(429);
    expect((await signIn('ana@example.com', 'right horse')).status).toBe(200);
  });

  it.each([
    ['a body that is not JSON', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'email=a' }, 415],
    // An HTML form on any web site can send these without a CORS preflight.
    ['a form body', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, body: 'email=ana%40example.com&password=right+horse' }, 415],
    ['a multipart form body', { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x', Origin: 'https://evil.example' }, body: '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nana@example.com\r\n--x--\r\n' }, 415],
    ['a body over 16 KB', json({ email: 'a'.repeat(20000), password: 'x' }), 413],
    ['an argument the function does not take', json({ email: 'a', password: 'b', admin: true }), 400],
    ['a missing argument', json({ email: 'a' }), 400],
    ['an array', json(['a', 'b']), 400],
  ])('answers %s with the contract body', async (_what, init, status) => {
    const response = await fetch(url('auth/auth.authenticate'), init as RequestInit);
    expect(response.status).toBe(status);
    expect(Object.keys(await response.json()).every((k) => ['code', 'message', 'details', 'hint'].includes(k))).toBe(true);
  });

  it('answers a function the role may not call exactly as one that does not exist, whatever the body', async () => {
    const answers = [];
    for (const [path, body] of [['auth/auth.staff_login', { code: 'open sesame' }], ['auth/auth.staff_login', { nope: 1 }], ['auth/auth.nothing', { code: 'x' }], ['auth/public.org_sites', {}]] as const) {
      const response = await fetch(url(path), json(body));
      answers.push({ status: response.status, body: await response.text() });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].status).toBe(404);
  });

  it('says who an anonymous request runs as', async () => {
    const response = await fetch(url('auth/whoami'));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ role: ctx.db.roles.anon, anonymous: true, claims: {}, expires_at: null });
  });

  it('describes whoami and sign-in in the OpenAPI document', async () => {
    const spec = await (await fetch(url('docs-json'))).json();
    expect(spec.paths['/auth/whoami'].get).toBeDefined();
    expect(spec.paths['/auth/{function}'].post).toBeDefined();
    expect(spec.paths['/auth/auth.authenticate'].post.requestBody.content['application/json'].schema).toMatchObject({
      properties: { email: { type: 'string' }, password: { type: 'string', format: 'password' } },
      required: ['email', 'password'],
    });
  });

  describe('with JwtSigningKey', () => {
    let server: TestServer;
    beforeAll(async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      // The signing key alone: its public half verifies what it signs.
      server = await startServer({ DbConnection: ctx.db.authenticatorUrl, AnonRole: ctx.db.roles.anon, JwtSigningKey: pem, JwtTypeIdentifier: 'auth.jwt_token' });
    });
    afterAll(() => server?.close());

    it('signs with the private key (ES256), publishes the public half, and verifies its own tokens', async () => {
      const body = await (await fetch(`${server.url}/auth/auth.authenticate`, json({ email: 'bo@example.com', password: 'battery staple' }))).json();
      const header = decodeProtectedHeader(body.token);
      expect(header.alg).toBe('ES256');
      const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: header.kid, alg: 'ES256', use: 'sig' });
      expect(jwks.keys[0].d).toBeUndefined();
      const { payload } = await jwtVerify(body.token, createLocalJWKSet(jwks));
      expect(payload.role).toBe(ctx.db.roles.regional);
      const who = await (await fetch(`${server.url}/auth/whoami`, { headers: bearer(body.token) })).json();
      expect(who.role).toBe(ctx.db.roles.regional);
    });
  });
});
