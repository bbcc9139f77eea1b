import type { TilegateConfig } from '@app/config';

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  protocol?: string;
}

/**
 * The absolute base URL links are advertised under, as pg_tileserv builds it:
 * 1. `UrlBase`, resolved against `BasePath` at start (see the configuration);
 * 2. else the standard `Forwarded` header (RFC 7239), when it names both `host` and `proto`;
 * 3. else the request's scheme and `Host`, each overridden by `X-Forwarded-Proto` and
 *    `X-Forwarded-Host`; then `BasePath`.
 * With TrustForwardedHeaders = false, 2 and the X-Forwarded-* headers are ignored.
 */
export function publicBaseUrl(config: TilegateConfig, request: RequestLike): string {
  if (config.urlBase) return config.urlBase;
  const path = config.basePath === '/' ? '' : config.basePath;
  const forwarded = config.trustForwardedHeaders ? forwardedHostAndProto(firstHeader(request.headers.forwarded, false)) : undefined;
  let proto = forwarded?.proto ?? request.protocol ?? 'http';
  let host = forwarded?.host ?? firstHeader(request.headers.host) ?? 'localhost';
  if (config.trustForwardedHeaders && !forwarded) {
    proto = firstHeader(request.headers['x-forwarded-proto']) ?? proto;
    host = firstHeader(request.headers['x-forwarded-host']) ?? host;
  }
  const safeProto = proto.toLowerCase() === 'https' ? 'https' : 'http';
  // Host headers are client text: keep only characters a host[:port] can have.
  const safeHost = /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : 'localhost';
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

/**
 * `host` and `proto` from a Forwarded header (`for=1.2.3.4;host=maps.example;proto=https, for=...`):
 * the first of each, keys in any case, quoted values unquoted; only when both are there (as
 * pg_tileserv). Bounded: at most 32 elements are read.
 */
export function forwardedHostAndProto(header: string | undefined): { host: string; proto: string } | undefined {
  if (!header) return undefined;
  let host: string | undefined;
  let proto: string | undefined;
  for (const element of header.split(',', 32)) {
    for (const pair of element.split(';', 16)) {
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const key = pair.slice(0, at).trim().toLowerCase();
      const raw = pair.slice(at + 1).trim();
      const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      if (key === 'host') host ??= value;
      else if (key === 'proto') proto ??= value;
    }
  }
  return host && proto ? { host, proto } : undefined;
}

function firstHeader(value: string | string[] | undefined, firstOfList = true): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const first = firstOfList ? text?.split(',')[0] : text;
  return first?.trim() || undefined;
}

/** A layer id as it goes into a URL path: `public.countries`, or escaped if it needs to be. */
export function layerPath(id: string): string {
  return encodeURIComponent(id);
}
