import { existsSync, statSync } from 'node:fs';
import { CONFIG_KEYS, ConfigKey } from './config-keys';
import { ConfigError } from './config-error';
import { canonicalKey, coerceValue, ConfigValue, FieldValue, isTable, parseDurationSeconds } from './config-values';
import { RawEntry, readConfigFile, readEnvironment } from './config-sources';
import { parseCommandLine } from './command-line';
import { squareCoordinateSystem } from './coordinate-system';
import { resolveUrlBase } from './url-base';
import { buildLayers } from './layer-settings';
import { buildCatalogScope } from './catalog-scope';
import { TilegateConfig } from './tilegate-config';
import { buildJwtConfig } from './jwt-config';

export interface ConfigInputs {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Values that win over file and environment; tests use it instead of touching process.env. */
  overrides?: Partial<Record<ConfigKey, ConfigValue>>;
  /** Skip the config file search (tests). */
  noFile?: boolean;
}

type Get = <T>(key: ConfigKey) => T;

/**
 * The one place that reads process.env and config files. Defaults, then the TOML file, then the
 * environment (DATABASE_URL, TS_*), then the command line's -d, -n and -e (which pg_tileserv
 * applies with viper.Set, over both), then explicit overrides. Unknown keys in the file and bad
 * values throw a ConfigError that names the key; unknown TS_* variables become one warning.
 */
export function loadConfig(inputs: ConfigInputs = {}): TilegateConfig {
  const commandLine = parseCommandLine(inputs.argv ?? process.argv.slice(2));
  if (commandLine.errors.length > 0) throw new ConfigError('command line', commandLine.errors.join('; '));
  const env = readEnvironment(inputs.env ?? process.env);
  const values = new Map<ConfigKey, ConfigValue>();
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) values.set(key, CONFIG_KEYS[key].default as ConfigValue);

  const fileEntries = inputs.noFile ? [] : readConfigFile(commandLine.configFile);
  // DATABASE_URL comes after TS_DBCONNECTION in readEnvironment, so it wins, as in pg_tileserv.
  for (const entry of [...fileEntries, ...env.entries]) apply(values, entry);
  if (commandLine.debug) apply(values, { name: 'Debug', value: true, source: '--debug' });
  if (commandLine.noPreview) apply(values, { name: 'ShowPreview', value: false, source: '--no-preview' });
  if (commandLine.healthEndpoint) apply(values, { name: 'HealthEndpoint', value: commandLine.healthEndpoint, source: '--health' });
  for (const [key, value] of Object.entries(inputs.overrides ?? {})) {
    apply(values, { name: key, value: value as ConfigValue, source: 'overrides' });
  }
  const warnings = env.unknown.length > 0 ? [`ignoring unknown environment variables: ${env.unknown.join(', ')}`] : [];
  return buildConfig((key) => values.get(key) as never, warnings);
}

function apply(values: Map<ConfigKey, ConfigValue>, entry: RawEntry): void {
  const key = canonicalKey(entry.name);
  if (!key) {
    throw new ConfigError(entry.name, `unknown configuration key (from ${entry.source}); known keys: ${Object.keys(CONFIG_KEYS).join(', ')}`);
  }
  const value = coerceValue(key, entry.value, entry.source);
  // A table's keys each keep their default (or earlier value) unless given: [CoordinateSystem] SRID = 3395 alone is a grid.
  values.set(key, CONFIG_KEYS[key].kind === 'table' && isTable(value) ? { ...(values.get(key) as Record<string, FieldValue>), ...value } : value);
}

function buildConfig(get: Get, warnings: string[]): TilegateConfig {
  const dbConnection = get<string>('DbConnection');
  if (!dbConnection) throw new ConfigError('DbConnection', 'not set; give DbConnection in the config file, or DATABASE_URL / TS_DBCONNECTION');

  const minZoom = get<number>('DefaultMinZoom');
  const maxZoom = get<number>('DefaultMaxZoom');
  if (minZoom > maxZoom) throw new ConfigError('DefaultMinZoom', `(${minZoom}) must not exceed DefaultMaxZoom (${maxZoom})`);

  const certFile = get<string>('TlsServerCertificateFile');
  const keyFile = get<string>('TlsServerPrivateKeyFile');
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ConfigError(certFile ? 'TlsServerPrivateKeyFile' : 'TlsServerCertificateFile', 'HTTPS needs both TlsServerCertificateFile and TlsServerPrivateKeyFile');
  }

  const basePath = get<string>('BasePath');
  const urlBase = resolveUrlBase(get('UrlBase'), basePath);
  if (urlBase.warning) warnings.push(urlBase.warning);
  const poolMax = get<number>('DbPoolMaxConns');
  const maxFeatures = get<number>('MaxFeaturesPerTile');

  return {
    dbConnection,
    // pg_tileserv leaves pgxpool's default (max(4, CPUs)) when DbPoolMaxConns <= 0; 4 is that on small hosts.
    dbPoolMaxConns: poolMax > 0 ? poolMax : 4,
    dbPoolMaxConnLifeTimeSeconds: parseDurationSeconds(get('DbPoolMaxConnLifeTime'), 'DbPoolMaxConnLifeTime'),
    dbTimeoutSeconds: get('DbTimeout'),
    dbReadConnections: get<string[]>('DbReadConnection').filter((url) => url.trim() !== ''),
    dbReadMaxLagSeconds: get('DbReadMaxLagSeconds'),
    tileCache: { maxBytes: get<number>('TileCacheSize') * 1024 * 1024, ttlSeconds: get('TileCacheTTL'), ...sharedLevel(get('RedisUrl'), get('RedisSecret')) },
    debug: get('Debug'),
    logFormat: oneOf(get<string>('LogFormat'), 'LogFormat', ['auto', 'json', 'text'] as const),
    httpHost: get('HttpHost'),
    httpPort: get('HttpPort'),
    httpsPort: get('HttpsPort'),
    tls: certFile ? { certFile, keyFile } : null,
    httpIdleTimeoutSeconds: get('HttpIdleTimeout'),
    shutdownTimeoutSeconds: get('ShutdownTimeout'),
    urlBase: urlBase.urlBase,
    trustForwardedHeaders: get('TrustForwardedHeaders'),
    basePath: normaliseBasePath(basePath),
    corsOrigins: get('CORSOrigins'),
    cacheTtlSeconds: Math.max(0, get<number>('CacheTTL')),
    defaultResolution: get('DefaultResolution'),
    defaultBuffer: get('DefaultBuffer'),
    maxFeaturesPerTile: maxFeatures > 0 ? maxFeatures : null,
    defaultMinZoom: minZoom,
    defaultMaxZoom: maxZoom,
    showPreview: get('ShowPreview'),
    enableMetrics: get('EnableMetrics'),
    healthEndpoint: healthEndpoint(get('HealthEndpoint')),
    strictParameters: get('StrictParameters'),
    assetsPath: assetsPath(get('AssetsPath'), warnings),
    coordinateSystem: squareCoordinateSystem(get('CoordinateSystem')),
    layers: buildLayers(get('Layer'), { minZoom, maxZoom }),
    catalogScope: buildCatalogScope({
      IncludeSchemas: get('IncludeSchemas'),
      ExcludeSchemas: get('ExcludeSchemas'),
      IncludeLayers: get('IncludeLayers'),
      ExcludeLayers: get('ExcludeLayers'),
    }),
    warnings,
    jwt: buildJwtConfig(get),
    allowPrivilegedAuthenticator: get('AllowPrivilegedAuthenticator'),
  };
}

/** Same floor as a shared JwtSecret's, in characters. */
const MIN_REDIS_SECRET_CHARACTERS = 32;
/** A secret of one character repeated, or of a few, is not a secret however long. */
const MIN_REDIS_SECRET_DISTINCT = 8;

/**
 * RedisUrl and the RedisSecret its entries are sealed with (apps/tilegate/src/cache/entry-seal.ts):
 * a Redis holds every role's tiles, so no tile goes there that its readers could read or its
 * writers could swap.
 */
function sharedLevel(url: string, secret: string): { redisUrl: string; redisSecret: string } {
  if (url === '') return { redisUrl: '', redisSecret: '' };
  const redisUrl = checkedRedisUrl(url);
  if (secret.trim() === '') {
    throw new ConfigError('RedisSecret', 'must be set with RedisUrl (the same on every replica): tiles are encrypted in Redis with it, so that whoever reaches Redis can neither read them nor swap one role\'s for another\'s');
  }
  const characters = [...secret.trim()];
  if (characters.length < MIN_REDIS_SECRET_CHARACTERS || new Set(characters).size < MIN_REDIS_SECRET_DISTINCT) {
    throw new ConfigError(
      'RedisSecret',
      `must be at least ${MIN_REDIS_SECRET_CHARACTERS} characters, not counting spaces around it, with at least ${MIN_REDIS_SECRET_DISTINCT} different ones (a random string, e.g. from openssl rand -base64 32)`,
    );
  }
  return { redisUrl, redisSecret: secret };
}

/** redis:// or rediss://, checked at start so a typo stops the start instead of silently caching in memory only. */
function checkedRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('RedisUrl', 'must be a URL such as redis://localhost:6379/0');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError('RedisUrl', `must start with redis:// or rediss://, got "${parsed.protocol}"`);
  return url;
}

function oneOf<T extends string>(value: string, key: string, allowed: readonly T[]): T {
  const lower = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(lower)) throw new ConfigError(key, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got "${value}"`);
  return lower as T;
}

function normaliseBasePath(path: string): string {
  const trimmed = `/${path}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9/_.~-]*$/.test(trimmed)) throw new ConfigError('BasePath', `may hold only letters, digits and / _ . ~ -, got "${path}"`);
  return trimmed === '' ? '/' : trimmed;
}

/** RFC 3986 path characters (pchar and '/'), percent escapes whole; pg_tileserv's router never matches anything else. */
function healthEndpoint(path: string): string {
  if (!/^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/.test(path) || path.includes('//')) {
    throw new ConfigError('HealthEndpoint', `must be a path starting with / (letters, digits, - . _ ~ and the other URL path characters), got "${path}"`);
  }
  return path;
}

/**
 * pg_tileserv reads its templates relative to the working directory; so does tilegate. A folder
 * that is not there does not stop pg_tileserv (its pages then fail), so it does not stop tilegate
 * either: a warning, and tilegate's own pages.
 */
function assetsPath(path: string, warnings: string[]): string {
  if (path === '') return '';
  if (existsSync(path) && statSync(path).isDirectory()) return path;
  warnings.push(`AssetsPath: no folder at ${path}; serving tilegate's own pages`);
  return '';
}
