/**
 * Every configuration key tilegate reads: pg_tileserv's keys (same names, same TS_* variables)
 * plus the new ones. One table, so the loader, the docs and the tests agree on names and defaults.
 */
export type KeyKind = 'string' | 'int' | 'bool' | 'list' | 'duration' | 'map';

export interface KeySpec {
  kind: KeyKind;
  default: string | number | boolean | string[] | Record<string, string>;
  min?: number;
  max?: number;
  doc: string;
  /** Accepted for pg_tileserv compatibility but has no effect in tilegate. */
  ignored?: boolean;
}

export const CONFIG_KEYS = {
  DbConnection: { kind: 'string', default: '', doc: 'PostgreSQL connection string of the login (authenticator) role; DATABASE_URL also sets it' },
  DbPoolMaxConns: { kind: 'int', default: 4, min: 1, max: 1000, doc: 'most connections held in the pool' },
  DbPoolMaxConnLifeTime: { kind: 'duration', default: '1h', doc: 'close pooled connections after this long (Go duration: 1h, 30m, 90s)' },
  DbTimeout: { kind: 'int', default: 10, min: 1, max: 3600, doc: 'seconds a request may wait for a connection, and each statement may run (then 503)' },
  AssetsPath: { kind: 'string', default: '', doc: 'accepted for pg_tileserv compatibility; tilegate ships its own pages', ignored: true },
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
  BasePath: { kind: 'string', default: '/', doc: 'serve every route under this path' },
  CORSOrigins: { kind: 'list', default: ['*'], doc: 'origins allowed to fetch tiles and JSON' },
  CacheTTL: { kind: 'int', default: 0, min: 0, max: 31536000, doc: 'Cache-Control max-age for tiles, seconds (0: revalidate every time with the ETag)' },
  DefaultResolution: { kind: 'int', default: 4096, min: 256, max: 65536, doc: 'MVT extent when the request gives no resolution' },
  DefaultBuffer: { kind: 'int', default: 256, min: 0, max: 65536, doc: 'MVT buffer when the request gives no buffer' },
  MaxFeaturesPerTile: { kind: 'int', default: 50000, min: 1, max: 10000000, doc: 'default and upper bound of the limit parameter' },
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
  JwtClockSkew: { kind: 'int', default: 30, min: 0, max: 3600, doc: 'seconds of leeway for exp and nbf' },
  AllowPrivilegedAuthenticator: {
    kind: 'bool',
    default: false,
    doc: 'start even when the login role is a superuser, has BYPASSRLS, or can become a role that has; RLS would not protect anything',
  },
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
