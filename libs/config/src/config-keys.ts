/**
 * Every configuration key tilegate reads: pg_tileserv's keys (same names, same TS_* variables)
 * plus the new ones. One table, so the loader, the docs and the tests agree on names and defaults.
 */
export type FieldKind = 'string' | 'int' | 'float' | 'bool' | 'list';
export type KeyKind = FieldKind | 'duration' | 'map' | 'table' | 'tables';

/** One key inside a TOML table ([CoordinateSystem]) or array of tables ([[Layer]]). */
export interface FieldSpec {
  kind: FieldKind;
  min?: number;
  max?: number;
  /** Lists only: a string value is also split on whitespace (viper's GetStringSlice), not only on commas. */
  splitOnSpace?: boolean;
}

export interface KeySpec extends Omit<FieldSpec, 'kind'> {
  kind: KeyKind;
  default: string | number | boolean | string[] | Record<string, string> | Record<string, number>;
  doc: string;
  /** The keys of a 'table' or of each table of a 'tables' key, by canonical name. */
  fields?: Record<string, FieldSpec>;
}

/** pg_tileserv's default grid (main.go:89-94): Web Mercator, ±20037508.3427892 (not ...342789244). */
const MERCATOR = 20037508.3427892;

export const CONFIG_KEYS = {
  DbConnection: { kind: 'string', default: '', doc: 'PostgreSQL connection string of the login (authenticator) role; DATABASE_URL also sets it' },
  DbPoolMaxConns: { kind: 'int', default: 4, max: 1000, doc: "most connections held in the pool; 0 or less is pgxpool's default for pg_tileserv (max(4, CPUs)), here 4" },
  DbPoolMaxConnLifeTime: { kind: 'duration', default: '1h', doc: 'close pooled connections after this long (Go duration: 1h, 30m, 90s)' },
  DbTimeout: { kind: 'int', default: 10, min: 1, max: 3600, doc: 'seconds a request may wait for a connection, and each statement may run (then 503)' },
  DbReadConnection: {
    kind: 'list',
    default: [],
    doc: 'connection strings of streaming replicas (same roles as the primary) that serve tiles and catalog reads; the primary is the fallback when a replica is down or lags',
  },
  DbReadMaxLagSeconds: { kind: 'int', default: 1, min: 0, max: 3600, doc: 'a replica whose replay lags the primary by more than this many seconds is not used until it catches up' },
  TileCacheSize: { kind: 'int', default: 256, min: 0, max: 1048576, doc: "megabytes of tiles kept in memory (0 turns tilegate's tile cache off); see docs/scaling.md" },
  TileCacheTTL: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 31536000,
    doc: 'seconds a cached tile of a layer without invalidation triggers lives; 0 (default): such layers are not cached',
  },
  RedisUrl: { kind: 'string', default: '', doc: 'redis:// URL of a Redis shared by every replica as the second cache level; empty: memory only' },
  RedisSecret: {
    kind: 'string',
    default: '',
    doc: 'required with RedisUrl, the same on every replica, at least 32 characters (8 or more different): tiles are encrypted and authenticated in Redis with a key made from it',
  },
  AssetsPath: {
    kind: 'string',
    default: '',
    doc: "a folder of pg_tileserv HTML templates (index.html, preview-table.html, preview-function.html) to serve instead of tilegate's pages; must exist. '' (default) is tilegate's own pages, where pg_tileserv's default is ./assets",
  },
  LogFormat: { kind: 'string', default: 'auto', doc: 'log lines as "json" (one object per line) or "text"; "auto" is text when stdout is a terminal, else json' },
  Debug: { kind: 'bool', default: false, doc: 'log every request and debug messages' },
  HttpHost: { kind: 'string', default: '0.0.0.0', doc: 'address to listen on' },
  HttpPort: { kind: 'int', default: 7800, min: 0, max: 65535, doc: 'HTTP port' },
  HttpsPort: { kind: 'int', default: 7801, min: 0, max: 65535, doc: 'HTTPS port, used when both TLS files are set (then HTTPS replaces HTTP)' },
  TlsServerCertificateFile: { kind: 'string', default: '', doc: 'PEM certificate chain for HTTPS' },
  TlsServerPrivateKeyFile: { kind: 'string', default: '', doc: 'PEM private key for HTTPS' },
  HttpIdleTimeout: { kind: 'int', default: 5, min: 1, max: 3600, doc: 'seconds an idle keep-alive connection stays open' },
  ShutdownTimeout: { kind: 'int', default: 10, min: 0, max: 3600, doc: 'seconds requests in flight may take to finish after SIGTERM or SIGINT; then the process exits anyway' },
  UrlBase: { kind: 'string', default: '', doc: 'advertise URLs under this base (default: from the request Host header)' },
  TrustForwardedHeaders: { kind: 'bool', default: true, doc: 'build advertised URLs from X-Forwarded-Proto/Host and Forwarded when UrlBase is not set (pg_tileserv does); false uses only Host' },
  BasePath: { kind: 'string', default: '/', doc: 'serve every route under this path; with UrlBase, resolved against it as a URL reference (pg_tileserv): "" keeps UrlBase\'s path' },
  HealthEndpoint: { kind: 'string', default: '/health', doc: 'liveness path under BasePath (readiness at <path>/ready); starts with /, path characters only' },
  CORSOrigins: { kind: 'list', default: ['*'], splitOnSpace: true, doc: 'origins allowed to fetch tiles and JSON (from the environment: separated by commas or spaces)' },
  CacheTTL: { kind: 'int', default: 0, min: -2147483648, max: 31536000, doc: 'Cache-Control max-age for tiles and the catalog, seconds; 0 or below: no max-age (anonymous answers then carry no Cache-Control, as in pg_tileserv)' },
  DefaultResolution: { kind: 'int', default: 4096, min: 1, max: 65536, doc: 'MVT extent when the request gives no resolution' },
  DefaultBuffer: { kind: 'int', default: 256, min: 0, doc: 'MVT buffer when the request gives no buffer' },
  MaxFeaturesPerTile: { kind: 'int', default: 50000, doc: 'default and upper bound of the limit parameter; -1 (or any value <= 0) is no limit, as in pg_tileserv' },
  StrictParameters: { kind: 'bool', default: false, doc: 'unknown tile parameters, unknown property names and repeated parameters are 400s (pg_tileserv ignores them)' },
  CoordinateSystem: {
    kind: 'table',
    default: { SRID: 3857, Xmin: -MERCATOR, Ymin: -MERCATOR, Xmax: MERCATOR, Ymax: MERCATOR },
    fields: { SRID: { kind: 'int', min: 1, max: 2147483647 }, Xmin: { kind: 'float' }, Ymin: { kind: 'float' }, Xmax: { kind: 'float' }, Ymax: { kind: 'float' } },
    doc: 'the tile grid: SRID and bounds, square within 1 % (then re-centred to an exact square, as pg_tileserv); env TS_COORDINATESYSTEM_SRID or TS_COORDINATESYSTEM.SRID',
  },
  Layer: {
    kind: 'tables',
    default: [],
    fields: {
      Id: { kind: 'string' },
      MinZoom: { kind: 'int', min: 0, max: 30 },
      MaxZoom: { kind: 'int', min: 0, max: 30 },
      Properties: { kind: 'list' },
      Limit: { kind: 'int', min: 1 },
      Buffer: { kind: 'int', min: 0 },
      Resolution: { kind: 'int', min: 1, max: 65536 },
      Cache: { kind: 'string' },
    },
    doc: '[[Layer]] tables (config file only): Id (required), MinZoom, MaxZoom, Properties, Limit, Buffer, Resolution, Cache ("off", "role", "claims") for one layer',
  },
  IncludeSchemas: { kind: 'list', default: [], doc: 'offer only layers in these schemas (or in IncludeLayers); * matches any characters' },
  ExcludeSchemas: { kind: 'list', default: [], doc: 'never offer layers in these schemas; * matches any characters' },
  IncludeLayers: { kind: 'list', default: [], doc: 'offer only these layers (or those in IncludeSchemas), by id such as public.roads; * matches any characters' },
  ExcludeLayers: { kind: 'list', default: [], doc: 'never offer these layers, by id; wins over the include lists; * matches any characters' },
  DefaultMinZoom: { kind: 'int', default: 0, min: 0, max: 30, doc: 'advertised minimum zoom' },
  DefaultMaxZoom: { kind: 'int', default: 22, min: 0, max: 30, doc: 'advertised maximum zoom' },
  ShowPreview: { kind: 'bool', default: true, doc: 'serve the web pages' },
  EnableMetrics: { kind: 'bool', default: false, doc: 'serve Prometheus metrics at /metrics' },
  JwtSecret: {
    kind: 'string',
    default: '',
    doc: 'verification key: a shared secret (HS256/384/512, at least 32 characters), a PEM public key, a JWK or JWK set (JSON), or @/path/to/file holding one; turns on role switching',
  },
  JwtJwksUrl: { kind: 'string', default: '', doc: "URL of the identity provider's JWK set (keys are cached and refreshed); turns on role switching" },
  JwtIssuer: { kind: 'string', default: '', doc: 'required `iss`; without JwtSecret and JwtJwksUrl, its /.well-known/openid-configuration gives the JWK set' },
  JwtAlgorithms: { kind: 'list', default: [], doc: 'accepted algorithms, narrowing what the key allows (default: all it allows)' },
  JwtJwksCacheTTL: { kind: 'int', default: 300, min: 1, max: 86400, doc: 'seconds before the JWK set is fetched again' },
  JwtJwksCooldown: { kind: 'int', default: 30, min: 0, max: 3600, doc: 'least seconds between JWK set fetches caused by tokens with an unknown kid' },
  JwtRoleMap: { kind: 'map', default: {}, doc: 'identity-provider values (groups, app roles) to database roles, e.g. { "tiles-editors" = "editor" }' },
  JwtUnmappedRole: { kind: 'string', default: 'refuse', doc: 'with JwtRoleMap: a value not in the map is refused (403) with "refuse", or runs as AnonRole with "anonymous"' },
  AnonRole: { kind: 'string', default: 'anonymous_user', doc: 'role for requests without a token, or with a token without a role claim' },
  JwtRoleClaimKey: { kind: 'string', default: 'role', doc: 'claim naming the role: a key, or a path such as .realm_access.roles[0] or $[\'https://example.com/claims\'].role' },
  JwtAudience: { kind: 'list', default: [], doc: 'accepted audiences; empty accepts any' },
  JwtRequireExp: { kind: 'bool', default: true, doc: 'refuse tokens without an exp claim (identity providers always set one; a token without it never expires)' },
  JwtTypeIdentifier: {
    kind: 'string',
    default: '',
    doc: "the composite type (schema.type) whose rows functions return to sign users in (PostGraphile's pgJwtTypeIdentifier): each such function is POST /auth/{schema}.{function}",
  },
  JwtSigningKey: { kind: 'string', default: '', doc: 'a PEM or JWK private key (or @/path/to/file) to sign issued tokens with (RS256, ES256/384/512, EdDSA); its public half verifies them and is published at /.well-known/jwks.json. Without it, a shared JwtSecret signs (HS256)' },
  JwtTokenTTL: { kind: 'int', default: 3600, min: 1, max: 31536000, doc: 'seconds an issued token lasts when the row has no exp' },
  SignInMaxFailures: { kind: 'int', default: 10, min: 1, max: 100000, doc: 'failed sign-ins one client address may make per SignInFailureWindow before a 429' },
  SignInMaxFailuresPerUser: { kind: 'int', default: 5, min: 1, max: 100000, doc: 'failed sign-ins for one user name per SignInFailureWindow before a 429' },
  SignInFailureWindow: { kind: 'int', default: 900, min: 1, max: 86400, doc: 'seconds failed sign-ins are counted for' },
  JwtClockSkew: { kind: 'int', default: 30, min: 0, max: 3600, doc: 'seconds of leeway for exp and nbf' },
  AllowPrivilegedAuthenticator: {
    kind: 'bool',
    default: false,
    doc: 'start even when the login role is a superuser, has BYPASSRLS, or can become a role that has; RLS would not protect anything',
  },
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
