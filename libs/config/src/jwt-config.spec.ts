import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { parseClaimPath } from './claim-path';

const DB = 'postgresql://tilegate@localhost/gis';
const jwtConfig = (env: Record<string, string>) => loadConfig({ argv: [], env: { DATABASE_URL: DB, ...env }, noFile: true }).jwt;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ed = generateKeyPairSync('ed25519');
const pem = (key: typeof rsa.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('JWT key configuration', () => {
  it('reads a PEM public key and allows only the algorithms it can verify', () => {
    expect(jwtConfig({ TS_JWTSECRET: pem(rsa.publicKey) })?.algorithms).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
    expect(jwtConfig({ TS_JWTSECRET: pem(ec.publicKey) })?.algorithms).toEqual(['ES384']);
    expect(jwtConfig({ TS_JWTSECRET: pem(ed.publicKey) })?.algorithms).toEqual(['EdDSA']);
  });

  it('reads a JWK, a JWK set, and @file', () => {
    const jwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1' };
    expect(jwtConfig({ TS_JWTSECRET: JSON.stringify(jwk) })?.keys).toEqual({ kind: 'jwks', jwks: { keys: [jwk] } });
    const set = { keys: [jwk, { ...ed.publicKey.export({ format: 'jwk' }), kid: 'k2' }] };
    expect(jwtConfig({ TS_JWTSECRET: JSON.stringify(set) })?.algorithms).toEqual(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']);
    const file = join(mkdtempSync(join(tmpdir(), 'tilegate-key-')), 'key.pem');
    writeFileSync(file, pem(ed.publicKey));
    expect(jwtConfig({ TS_JWTSECRET: `@${file}` })?.keys?.kind).toBe('public-key');
  });

  it('narrows algorithms with JwtAlgorithms, and refuses ones the key cannot verify (algorithm confusion)', () => {
    expect(jwtConfig({ TS_JWTSECRET: pem(rsa.publicKey), TS_JWTALGORITHMS: 'RS256' })?.algorithms).toEqual(['RS256']);
    expect(() => jwtConfig({ TS_JWTSECRET: pem(rsa.publicKey), TS_JWTALGORITHMS: 'HS256' })).toThrow(/JwtAlgorithms: HS256 cannot be verified/);
    expect(() => jwtConfig({ TS_JWTSECRET: 'x'.repeat(40), TS_JWTALGORITHMS: 'RS256' })).toThrow(/JwtAlgorithms/);
  });

  it('uses a JWK set URL, or the issuer for discovery, with asymmetric algorithms only', () => {
    const byUrl = jwtConfig({ TS_JWTJWKSURL: 'https://idp.example/jwks' });
    expect(byUrl).toMatchObject({ keys: null, jwksUrl: 'https://idp.example/jwks', discover: false });
    expect(byUrl?.algorithms).not.toContain('HS256');
    expect(jwtConfig({ TS_JWTISSUER: 'https://idp.example/realms/x' })).toMatchObject({ discover: true, issuer: 'https://idp.example/realms/x' });
  });

  it.each([
    [{ TS_JWTSECRET: 'short' }, /JwtSecret: a shared secret must be at least 32 characters/],
    [{ TS_JWTSECRET: '@/no/such/key.pem' }, /JwtSecret: cannot read \/no\/such\/key.pem/],
    [{ TS_JWTSECRET: '{"kty": ' }, /JwtSecret: .*not valid JSON/],
    [{ TS_JWTSECRET: '{"keys": [{"kty":"RSA","n":"x","e":"AQAB","d":"secret"}]}' }, /private JWK/],
    [{ TS_JWTSECRET: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }, /JwtSecret: holds a PEM block/],
    [{ TS_JWTSECRET: 'x'.repeat(40), TS_JWTJWKSURL: 'https://a/jwks' }, /JwtJwksUrl: set either/],
    [{ TS_JWTJWKSURL: 'ftp://a/jwks' }, /JwtJwksUrl: must be an http\(s\) URL/],
    [{ TS_JWTISSUER: 'not a url' }, /JwtIssuer: is not a URL/],
    [{ TS_JWTSECRET: 'x'.repeat(40), TS_JWTROLECLAIMKEY: '.a[b]' }, /JwtRoleClaimKey: cannot read the path/],
    [{ TS_JWTSECRET: 'x'.repeat(40), TS_JWTUNMAPPEDROLE: 'maybe' }, /JwtUnmappedRole/],
    [{ TS_JWTSECRET: 'x'.repeat(40), TS_JWTROLEMAP: 'nope' }, /JwtRoleMap .*name=role pairs/],
  ])('stops on %p naming the key', (env, message) => {
    expect(() => jwtConfig(env)).toThrow(message);
  });

  it('reads JwtRoleMap from a TOML table, JSON or name=role pairs', () => {
    expect(jwtConfig({ TS_JWTSECRET: 'x'.repeat(40), TS_JWTROLEMAP: '{"Tiles.Read":"reader"}' })?.roleMap).toEqual({ 'Tiles.Read': 'reader' });
    expect(jwtConfig({ TS_JWTSECRET: 'x'.repeat(40), TS_JWTROLEMAP: 'a=b, c=d' })?.roleMap).toEqual({ a: 'b', c: 'd' });
    const file = join(mkdtempSync(join(tmpdir(), 'tilegate-config-')), 'tilegate.toml');
    writeFileSync(file, `DbConnection = "${DB}"\nJwtSecret = "${'x'.repeat(40)}"\n[JwtRoleMap]\n"tiles-editors" = "editor"\n`);
    expect(loadConfig({ argv: ['--config', file], env: {} }).jwt?.roleMap).toEqual({ 'tiles-editors': 'editor' });
  });
});

describe('parseClaimPath', () => {
  it.each([
    ['role', ['role']],
    ['https://example.com/role', ['https://example.com/role']],
    ['.role', ['role']],
    ['.realm_access.roles[0]', ['realm_access', 'roles', 0]],
    ['$.realm_access.roles[0]', ['realm_access', 'roles', 0]],
    ["$['https://example.com/claims'].role", ['https://example.com/claims', 'role']],
    ['."https://example.com/claims".role', ['https://example.com/claims', 'role']],
  ])('%s', (text, path) => expect(parseClaimPath(text)).toEqual(path));
});

describe('token issuing (JwtTypeIdentifier)', () => {
  const load = (env: Record<string, string>) => loadConfig({ argv: [], env: { DATABASE_URL: 'postgresql://a/b', ...env }, noFile: true });
  const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('signs with a shared JwtSecret, HS256', () => {
    const config = load({ TS_JWTSECRET: 'x'.repeat(32), TS_JWTTYPEIDENTIFIER: 'auth.jwt_token' });
    expect(config.jwt?.issuing).toMatchObject({ typeSchema: 'auth', typeName: 'jwt_token', ttlSeconds: 3600, signer: { kind: 'secret', algorithm: 'HS256' } });
  });

  it('signs with JwtSigningKey, whose public half then verifies too', () => {
    const pem = ec().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = load({ TS_JWTSIGNINGKEY: pem, TS_JWTTYPEIDENTIFIER: '"Auth"."Token"' });
    expect(config.jwt?.issuing).toMatchObject({ typeSchema: 'Auth', typeName: 'Token', signer: { kind: 'key', algorithm: 'ES256' } });
    expect(config.jwt?.algorithms).toEqual(['ES256']);
    expect(config.jwt?.issuedKey?.publicJwk).toMatchObject({ kty: 'EC', alg: 'ES256' });
    expect(config.jwt?.issuedKey?.publicJwk.d).toBeUndefined();
  });

  it.each([
    [{ TS_JWTTYPEIDENTIFIER: 'auth.jwt_token' }, /JwtTypeIdentifier: tokens need a key that can sign/],
    [{ TS_JWTTYPEIDENTIFIER: 'auth.jwt_token', TS_JWTJWKSURL: 'https://idp.example/keys' }, /JwtTypeIdentifier: tokens need a key that can sign/],
    [{ TS_JWTTYPEIDENTIFIER: 'jwt_token', TS_JWTSECRET: 'x'.repeat(32) }, /JwtTypeIdentifier: must be schema.type/],
    [{ TS_JWTSIGNINGKEY: 'not a key' }, /JwtSigningKey: is not a PEM or JWK private key/],
  ])('refuses to start with %p', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });

  it('refuses a public key as JwtSigningKey', () => {
    const pem = ec().publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => load({ TS_JWTSIGNINGKEY: pem })).toThrow(/JwtSigningKey/);
  });
});
