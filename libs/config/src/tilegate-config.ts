import type { ClaimPath } from './claim-path';
import type { JwtKeyMaterial } from './jwt-keys';

/** The validated configuration every feature reads. Built once, at start, by `loadConfig`. */
export interface TilegateConfig {
  dbConnection: string;
  dbPoolMaxConns: number;
  dbPoolMaxConnLifeTimeSeconds: number;
  dbTimeoutSeconds: number;
  debug: boolean;
  logFormat: 'auto' | 'json' | 'text';
  httpHost: string;
  httpPort: number;
  httpsPort: number;
  tls: { certFile: string; keyFile: string } | null;
  httpIdleTimeoutSeconds: number;
  shutdownTimeoutSeconds: number;
  urlBase: string;
  /** Honour X-Forwarded-* and Forwarded when building URLs (TrustForwardedHeaders). */
  trustForwardedHeaders: boolean;
  /** Always starts with '/', never ends with '/' unless it is exactly '/'. */
  basePath: string;
  corsOrigins: string[];
  cacheTtlSeconds: number;
  defaultResolution: number;
  defaultBuffer: number;
  maxFeaturesPerTile: number;
  defaultMinZoom: number;
  defaultMaxZoom: number;
  showPreview: boolean;
  enableMetrics: boolean;
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
}
