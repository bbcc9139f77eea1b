import type { ClaimPath } from './claim-path';
import type { JwtKeyMaterial } from './jwt-keys';
import type { KeyObject } from 'node:crypto';
import type { TokenIssuing } from './token-issuing';

/** The validated configuration every feature reads. Built once, at start, by `loadConfig`. */
export interface TilegateConfig {
  dbConnection: string;
  dbPoolMaxConns: number;
  dbPoolMaxConnLifeTimeSeconds: number;
  dbTimeoutSeconds: number;
  /** DbReadConnection: streaming replicas for tiles and catalog reads, tried before the primary. */
  dbReadConnections: string[];
  /** DbReadMaxLagSeconds: a replica lagging more than this is skipped. */
  dbReadMaxLagSeconds: number;
  /**
   * The tile cache (issue #16): bytes held in memory (0: off), lifetime of unwatched layers' tiles,
   * the shared Redis; redisSecret is set exactly when redisUrl is. `guardProcessMemory` is not a
   * configuration key: main.ts sets it, where the process is tilegate's alone, so the cache may
   * shrink to keep it within TileCacheSize + 150 MB (cache/memory-guard.ts). A process that hosts
   * the app beside other work (the e2e tests) would measure that work too.
   */
  tileCache: { maxBytes: number; ttlSeconds: number; redisUrl: string; redisSecret: string; guardProcessMemory?: boolean };
  debug: boolean;
  logFormat: 'auto' | 'json' | 'text';
  httpHost: string;
  httpPort: number;
  httpsPort: number;
  tls: { certFile: string; keyFile: string } | null;
  httpIdleTimeoutSeconds: number;
  shutdownTimeoutSeconds: number;
  /**
   * The base advertised URLs start with when UrlBase is set, already resolved against BasePath
   * as pg_tileserv does (RFC 3986 reference resolution, trailing '/' removed); '' when UrlBase is
   * not set (then URLs come from the request: Forwarded, X-Forwarded-*, Host, plus basePath).
   */
  urlBase: string;
  /** Honour X-Forwarded-* and Forwarded when building URLs (TrustForwardedHeaders). */
  trustForwardedHeaders: boolean;
  /** Always starts with '/', never ends with '/' unless it is exactly '/'. */
  basePath: string;
  corsOrigins: string[];
  cacheTtlSeconds: number;
  defaultResolution: number;
  defaultBuffer: number;
  /** Default and upper bound of `limit`; null for no limit (pg_tileserv's MaxFeaturesPerTile = -1, or any value <= 0). */
  maxFeaturesPerTile: number | null;
  defaultMinZoom: number;
  defaultMaxZoom: number;
  showPreview: boolean;
  enableMetrics: boolean;
  /** HealthEndpoint: the liveness path under BasePath, '/health' by default; readiness is `${healthEndpoint}/ready`. */
  healthEndpoint: string;
  /** StrictParameters: unknown tile parameters, unknown property names and repeated parameters are 400s. */
  strictParameters: boolean;
  /** AssetsPath: a folder of pg_tileserv HTML templates to render instead of tilegate's own pages; '' for tilegate's. */
  assetsPath: string;
  /** [CoordinateSystem]: the tile grid, a square in `srid` (pg_tileserv re-centres it to an exact square). */
  coordinateSystem: CoordinateSystem;
  /** [[Layer]] tables: per-layer settings, by layer id. */
  layers: LayerSettings[];
  /** Which layers the catalog offers at all (patterns with `*`), before any role's privileges. */
  catalogScope: CatalogScope;
  /** Start-up warnings to log (unknown TS_* variables), not errors. */
  warnings: string[];
  jwt: JwtConfig | null;
  allowPrivilegedAuthenticator: boolean;
}

export interface JwtConfig {
  /** Keys given in JwtSecret; null when they come from a JWK set URL. */
  keys: JwtKeyMaterial | null;
  /** JwtJwksUrl, or null (then keys are given, or found by OpenID discovery). */
  jwksUrl: string | null;
  /** JwtIssuer: the required `iss`, or null to accept any. */
  issuer: string | null;
  /** True when the JWK set URL is to be found in the issuer's OpenID configuration. */
  discover: boolean;
  algorithms: string[];
  audience: string[];
  clockSkewSeconds: number;
  /** Refuse tokens without `exp` (JwtRequireExp). */
  requireExp: boolean;
  anonRole: string;
  roleClaimKey: string;
  roleClaimPath: ClaimPath;
  roleMap: Record<string, string> | null;
  unmappedRole: 'refuse' | 'anonymous';
  jwksCacheTtlSeconds: number;
  jwksCooldownSeconds: number;
  /** JwtSigningKey's public half: tokens with its kid verify with it, beside any other keys. */
  issuedKey: { kid: string; algorithm: string; publicKey: KeyObject; publicJwk: Record<string, unknown> } | null;
  /** JwtTypeIdentifier: sign-in functions and how their tokens are signed; null when not configured. */
  issuing: TokenIssuing | null;
}

export interface CoordinateSystem {
  srid: number;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** One [[Layer]] table: everything but `id` optional, each overriding the server-wide default for that layer. */
export interface LayerSettings {
  /** The layer id, `schema.name` (or `schema.table.column` for a relation's other geometry columns). */
  id: string;
  minZoom?: number;
  maxZoom?: number;
  /** Properties the layer serves (and lists); others are left out for every role. */
  properties?: string[];
  /** Default and upper bound of `limit` for this layer. */
  limit?: number;
  buffer?: number;
  resolution?: number;
  /** Tile caching for this layer (issue #16): "off", "role", or "claims". */
  cache?: 'off' | 'role' | 'claims';
}

export interface CatalogScope {
  includeSchemas: string[];
  excludeSchemas: string[];
  includeLayers: string[];
  excludeLayers: string[];
}
