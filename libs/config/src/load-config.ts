import { CONFIG_KEYS, ConfigKey } from './config-keys';
import { ConfigError } from './config-error';
import { canonicalKey, coerceValue, ConfigValue, parseDurationSeconds } from './config-values';
import { configFileFromArgs, RawEntry, readConfigFile, readEnvironment } from './config-sources';
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

/**
 * The one place that reads process.env and config files. Defaults, then the TOML file, then the
 * environment (DATABASE_URL, TS_*), then explicit overrides; unknown keys and bad values throw a
 * ConfigError that names the key.
 */
export function loadConfig(inputs: ConfigInputs = {}): TilegateConfig {
  const argv = inputs.argv ?? process.argv.slice(2);
  const env = inputs.env ?? process.env;
  const values = new Map<ConfigKey, ConfigValue>();
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) values.set(key, CONFIG_KEYS[key].default);

  const fileEntries = inputs.noFile ? [] : readConfigFile(configFileFromArgs(argv));
  // DATABASE_URL comes before TS_DBCONNECTION in readEnvironment, so the TS_ variable wins.
  for (const entry of [...fileEntries, ...readEnvironment(env)]) apply(values, entry);
  for (const [key, value] of Object.entries(inputs.overrides ?? {})) {
    apply(values, { name: key, value: value as ConfigValue, source: 'overrides' });
  }
  return buildConfig((key) => values.get(key) as never);
}

function apply(values: Map<ConfigKey, ConfigValue>, entry: RawEntry): void {
  const key = canonicalKey(entry.name);
  if (!key) {
    throw new ConfigError(entry.name, `unknown configuration key (from ${entry.source}); known keys: ${Object.keys(CONFIG_KEYS).join(', ')}`);
  }
  values.set(key, coerceValue(key, entry.value, entry.source));
}

function buildConfig(get: <T>(key: ConfigKey) => T): TilegateConfig {
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

  return {
    dbConnection,
    dbPoolMaxConns: get('DbPoolMaxConns'),
    dbPoolMaxConnLifeTimeSeconds: parseDurationSeconds(get('DbPoolMaxConnLifeTime'), 'DbPoolMaxConnLifeTime'),
    dbTimeoutSeconds: get('DbTimeout'),
    debug: get('Debug'),
    logFormat: oneOf(get<string>('LogFormat'), 'LogFormat', ['auto', 'json', 'text'] as const),
    httpHost: get('HttpHost'),
    httpPort: get('HttpPort'),
    httpsPort: get('HttpsPort'),
    tls: certFile ? { certFile, keyFile } : null,
    httpIdleTimeoutSeconds: get('HttpIdleTimeout'),
    shutdownTimeoutSeconds: get('ShutdownTimeout'),
    urlBase: get<string>('UrlBase').replace(/\/+$/, ''),
    trustForwardedHeaders: get('TrustForwardedHeaders'),
    basePath: normaliseBasePath(get('BasePath')),
    corsOrigins: get('CORSOrigins'),
    cacheTtlSeconds: get('CacheTTL'),
    defaultResolution: get('DefaultResolution'),
    defaultBuffer: get('DefaultBuffer'),
    maxFeaturesPerTile: get('MaxFeaturesPerTile'),
    defaultMinZoom: minZoom,
    defaultMaxZoom: maxZoom,
    showPreview: get('ShowPreview'),
    enableMetrics: get('EnableMetrics'),
    // Filled in properly by the drop-in work (issue #13); defaults that mean "as before" until then.
    healthEndpoint: '/health',
    strictParameters: false,
    assetsPath: '',
    coordinateSystem: { srid: 3857, xmin: -20037508.342789244, ymin: -20037508.342789244, xmax: 20037508.342789244, ymax: 20037508.342789244 },
    layers: [],
    catalogScope: { includeSchemas: [], excludeSchemas: [], includeLayers: [], excludeLayers: [] },
    warnings: [],
    jwt: buildJwtConfig(get),
    allowPrivilegedAuthenticator: get('AllowPrivilegedAuthenticator'),
  };
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
