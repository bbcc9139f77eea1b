import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { DEFAULT_CONFIG_FILES } from './config-sources';

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
      healthEndpoint: '/health',
      strictParameters: false,
      assetsPath: '',
      coordinateSystem: { srid: 3857, xmin: -20037508.3427892, ymin: -20037508.3427892, xmax: 20037508.3427892, ymax: 20037508.3427892 },
      layers: [],
      catalogScope: { includeSchemas: [], excludeSchemas: [], includeLayers: [], excludeLayers: [] },
      urlBase: '',
      warnings: [],
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

  it('lets DATABASE_URL win over TS_DBCONNECTION, as pg_tileserv', () => {
    expect(loadConfig({ argv: [], env: { DATABASE_URL: DB, TS_DBCONNECTION: 'postgresql://a/b' }, noFile: true }).dbConnection).toBe(DB);
  });

  it.each([
    [{ TS_HTTPPORT: 'eighty' }, /HttpPort \(from TS_HTTPPORT\): expected a whole number/],
    [{ TS_HTTPPORT: '70000' }, /HttpPort .*between 0 and 65535/],
    [{ TS_SHOWPREVIEW: 'maybe' }, /ShowPreview .*true or false/],
    [{ TS_DBPOOLMAXCONNLIFETIME: 'forever' }, /DbPoolMaxConnLifeTime/],
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

  it('names unknown TS_* variables in one warning, ts-node and ts-jest ones among them, instead of stopping', () => {
    // pg_tileserv ignores variables that name no key; a warning still shows a misspelt one.
    const config = loadConfig({ argv: [], env: { DATABASE_URL: DB, TS_NOSUCHKEY: '1', TS_NODE_PROJECT: 'x', TS_JEST_LOG: 'y', TS_COORDINATESYSTEM: '3857' }, noFile: true });
    expect(config.warnings).toEqual(['ignoring unknown environment variables: TS_COORDINATESYSTEM, TS_JEST_LOG, TS_NODE_PROJECT, TS_NOSUCHKEY']);
  });

  it('reads the catalog scope from lists in the file, or comma-separated from the environment', () => {
    const file = tomlFile(`DbConnection = "${DB}"
IncludeSchemas = ["public", "maps_*"]
ExcludeLayers = ["*_old"]
`);
    expect(loadConfig({ argv: ['--config', file], env: { TS_EXCLUDESCHEMAS: 'tiger, topology', TS_INCLUDELAYERS: 'private.parcels' } }).catalogScope).toEqual({
      includeSchemas: ['public', 'maps_*'],
      excludeSchemas: ['tiger', 'topology'],
      includeLayers: ['private.parcels'],
      excludeLayers: ['*_old'],
    });
  });

  it("resolves BasePath against UrlBase as pg_tileserv does, and keeps BasePath as the route prefix", () => {
    const both = (urlBase: string, basePath: string) => {
      const config = loadConfig({ argv: [], env: { DATABASE_URL: DB }, noFile: true, overrides: { UrlBase: urlBase, BasePath: basePath } });
      return [config.urlBase, config.basePath];
    };
    expect(both('http://example.com/tiles', '/')).toEqual(['http://example.com', '/']);
    expect(both('http://example.com/tiles/', 'foo')).toEqual(['http://example.com/tiles/foo', '/foo']);
    expect(both('http://example.com/tiles', '')).toEqual(['http://example.com/tiles', '/']);
    expect(both('https://tiles.example.com', '/maps/')).toEqual(['https://tiles.example.com/maps', '/maps']);
    const noScheme = loadConfig({ argv: [], env: { DATABASE_URL: DB, TS_URLBASE: 'example.com' }, noFile: true });
    expect([noScheme.urlBase, noScheme.warnings]).toEqual(['', [expect.stringMatching(/UrlBase "example.com" has no scheme/)]]);
  });

  it('keeps an explicit BasePath = "" from the file: it keeps UrlBase\'s path (pg_tileserv\'s one way to do that)', () => {
    const file = tomlFile(`DbConnection = "${DB}"
UrlBase = "http://example.com/tiles"
BasePath = ""
`);
    expect(loadConfig({ argv: ['--config', file], env: {} })).toMatchObject({ urlBase: 'http://example.com/tiles', basePath: '/' });
  });

  it("searches pg_tileserv's folders in its order: ./config, /config, /etc", () => {
    const folders = DEFAULT_CONFIG_FILES.filter((f) => f.endsWith('/pg_tileserv.toml')).map((f) => f.slice(0, f.lastIndexOf('/')));
    expect(folders.slice(0, 3)).toEqual(['./config', '/config', '/etc']);
  });

  it('takes RedisUrl only with a RedisSecret of 32 characters or more, and checks the URL', () => {
    const load = (env: Record<string, string>) => () => loadConfig({ argv: [], env: { DATABASE_URL: DB, ...env }, noFile: true });
    const url = 'redis://cache.internal:6379/0';
    const secret = 'a-redis-secret-of-at-least-32-characters';
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: secret })().tileCache).toMatchObject({ redisUrl: url, redisSecret: secret });
    expect(load({ TS_REDISURL: url })).toThrow(/RedisSecret.*must be set with RedisUrl/);
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: 'short' })).toThrow(/RedisSecret.*at least 32 characters/);
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: ' '.repeat(40) })).toThrow(/RedisSecret.*must be set/);
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: 'a'.repeat(40) })).toThrow(/RedisSecret.*8 different/);
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: `  ${'abcdefgh'.repeat(3)}  ` })).toThrow(/RedisSecret.*at least 32 characters/);
    // Characters, not UTF-8 bytes: eleven 3-byte characters are eleven.
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: '€'.repeat(11) })).toThrow(/RedisSecret.*at least 32 characters/);
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: 'ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğ' })().tileCache.redisSecret).toHaveLength(32);
    expect(load({ TS_REDISURL: 'http://cache.internal', TS_REDISSECRET: secret })).toThrow(/RedisUrl.*redis:\/\//);
    // A refusal never shows the secret (a config error is printed and may reach a log).
    expect(load({ TS_REDISURL: url, TS_REDISSECRET: 'short-secret-123' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('short-secret-123') }));
    // Without Redis the secret has nothing to seal and is not kept.
    expect(load({ TS_REDISSECRET: secret })().tileCache).toMatchObject({ redisUrl: '', redisSecret: '' });
  });
});
