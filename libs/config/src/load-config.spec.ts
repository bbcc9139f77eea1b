import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';

const DB = 'postgresql://tilegate@localhost/gis';
const SECRET = 'x'.repeat(32);

function tomlFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tilegate-config-')), 'tilegate.toml');
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it("uses pg_tileserv's defaults", () => {
    const config = loadConfig({ argv: [], env: { DATABASE_URL: DB }, noFile: true });
    expect(config).toMatchObject({
      dbConnection: DB,
      dbPoolMaxConns: 4,
      dbTimeoutSeconds: 10,
      httpHost: '0.0.0.0',
      httpPort: 7800,
      basePath: '/',
      corsOrigins: ['*'],
      cacheTtlSeconds: 0,
      defaultResolution: 4096,
      defaultBuffer: 256,
      maxFeaturesPerTile: 50000,
      defaultMinZoom: 0,
      defaultMaxZoom: 22,
      showPreview: true,
      enableMetrics: false,
      jwt: null,
    });
  });

  it('reads a TOML file given with --config, and lets TS_* variables override it', () => {
    const file = tomlFile(`DbConnection = "${DB}"\nHttpPort = 9000\nCORSOrigins = ["https://a.example"]\nBasePath = "/tiles/"\nDbPoolMaxConnLifeTime = "1h30m"\n`);
    const config = loadConfig({ argv: ['--config', file], env: { TS_HTTPPORT: '9100' } });
    expect(config.httpPort).toBe(9100);
    expect(config.corsOrigins).toEqual(['https://a.example']);
    expect(config.basePath).toBe('/tiles');
    expect(config.dbPoolMaxConnLifeTimeSeconds).toBe(5400);
  });

  it('takes keys in any case, as viper does', () => {
    const config = loadConfig({ argv: [], env: { TS_DBCONNECTION: DB, ts_ignored: 'x', TS_jwtsecret: SECRET, TS_ANONROLE: 'web_anon' } as NodeJS.ProcessEnv, noFile: true });
    expect(config.jwt).toMatchObject({ anonRole: 'web_anon', roleClaimKey: 'role', clockSkewSeconds: 30, algorithms: ['HS256', 'HS384', 'HS512'] });
    expect(config.jwt?.keys).toEqual({ kind: 'secret', secret: Buffer.from(SECRET) });
  });

  it('lets TS_DBCONNECTION win over DATABASE_URL', () => {
    expect(loadConfig({ argv: [], env: { DATABASE_URL: 'postgresql://a/b', TS_DBCONNECTION: DB }, noFile: true }).dbConnection).toBe(DB);
  });

  it.each([
    [{ TS_HTTPPORT: 'eighty' }, /HttpPort \(from TS_HTTPPORT\): expected a whole number/],
    [{ TS_HTTPPORT: '70000' }, /HttpPort .*between 0 and 65535/],
    [{ TS_SHOWPREVIEW: 'maybe' }, /ShowPreview .*true or false/],
    [{ TS_DBPOOLMAXCONNLIFETIME: 'forever' }, /DbPoolMaxConnLifeTime/],
    [{ TS_NOSUCHKEY: '1' }, /NOSUCHKEY: unknown configuration key/],
    [{ TS_JWTSECRET: 'short' }, /JwtSecret: a shared secret must be at least 32 characters/],
    [{ TS_DEFAULTMINZOOM: '10', TS_DEFAULTMAXZOOM: '5' }, /DefaultMinZoom/],
    [{ TS_TLSSERVERCERTIFICATEFILE: '/x.pem' }, /TlsServerPrivateKeyFile/],
    [{ TS_BASEPATH: '/a b' }, /BasePath/],
  ])('stops on %p naming the key', (env, message) => {
    expect(() => loadConfig({ argv: [], env: { DATABASE_URL: DB, ...env } as NodeJS.ProcessEnv, noFile: true })).toThrow(message);
  });

  it('names a missing DbConnection', () => {
    expect(() => loadConfig({ argv: [], env: {}, noFile: true })).toThrow(/DbConnection: not set/);
  });

  it('names unknown keys and bad values in the file', () => {
    expect(() => loadConfig({ argv: ['--config', tomlFile(`DbConnection = "${DB}"\nHttpPorts = 1\n`)], env: {} })).toThrow(/HttpPorts: unknown configuration key/);
    expect(() => loadConfig({ argv: ['--config', tomlFile(`DbConnection = "${DB}"\nHttpPort = "x"\n`)], env: {} })).toThrow(/HttpPort \(from .*tilegate.toml\)/);
    expect(() => loadConfig({ argv: ['--config', tomlFile('DbConnection = ')], env: {} })).toThrow(/--config: .* is not valid TOML/);
    expect(() => loadConfig({ argv: ['--config', '/no/such/file.toml'], env: {} })).toThrow(/--config: file not found/);
  });

  it('ignores ts-node and ts-jest variables', () => {
    expect(() => loadConfig({ argv: [], env: { DATABASE_URL: DB, TS_NODE_PROJECT: 'x', TS_JEST_LOG: 'y' }, noFile: true })).not.toThrow();
  });
});
