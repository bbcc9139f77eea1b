/** The validated configuration every feature reads. Built once, at start, by `loadConfig`. */
export interface TilegateConfig {
  dbConnection: string;
  dbPoolMaxConns: number;
  dbPoolMaxConnLifeTimeSeconds: number;
  dbTimeoutSeconds: number;
  debug: boolean;
  httpHost: string;
  httpPort: number;
  httpsPort: number;
  tls: { certFile: string; keyFile: string } | null;
  urlBase: string;
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
  secret: string;
  anonRole: string;
  roleClaimKey: string;
  audience: string[];
  clockSkewSeconds: number;
}
