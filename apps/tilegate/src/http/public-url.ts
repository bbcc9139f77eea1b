import type { TilegateConfig } from '@app/config';

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  protocol?: string;
}

/**
 * The absolute base URL links are advertised under: `UrlBase` when set, else the scheme and host
 * the client used (X-Forwarded-Proto/Host first, as behind a proxy), then `BasePath`. pg_tileserv
 * does the same, so existing maps keep working behind the same proxies.
 */
export function publicBaseUrl(config: TilegateConfig, request: RequestLike): string {
  const path = config.basePath === '/' ? '' : config.basePath;
  if (config.urlBase) return `${config.urlBase}${path}`;
  const forwarded = config.trustForwardedHeaders;
  const proto = (forwarded ? firstHeader(request.headers['x-forwarded-proto']) : undefined) ?? request.protocol ?? 'http';
  const host = (forwarded ? firstHeader(request.headers['x-forwarded-host']) : undefined) ?? firstHeader(request.headers.host) ?? 'localhost';
  const safeProto = proto === 'https' ? 'https' : 'http';
  // A Host header is client text: keep only characters a host[:port] can have.
  const safeHost = /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : 'localhost';
  return `${safeProto}://${safeHost}${path}`;
}

/**
 * The request headers that shaped publicBaseUrl's answer, for `Vary`: a shared cache must not hand
 * links made for one Host (or proxy) to a client that came through another.
 */
export function urlVaryHeaders(config: TilegateConfig): string[] {
  if (config.urlBase) return [];
  return config.trustForwardedHeaders ? ['Host', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'Forwarded'] : ['Host'];
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0].trim() || undefined;
}

/** A layer id as it goes into a URL path: `public.countries`, or escaped if it needs to be. */
export function layerPath(id: string): string {
  return encodeURIComponent(id);
}
