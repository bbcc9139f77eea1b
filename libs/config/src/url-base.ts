import { ConfigError } from './config-error';

export interface ResolvedUrlBase {
  urlBase: string;
  warning?: string;
}

const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * pg_tileserv's formatBaseURL (util.go:35-45) when UrlBase is set: BasePath, as given, is a URL
 * reference resolved against UrlBase (RFC 3986, Go's url.ResolveReference; WHATWG URL does the
 * same for absolute bases), then every trailing '/' is cut. So BasePath "/" (the default) drops
 * UrlBase's path, "foo" replaces its last segment, and only an explicit "" keeps it whole.
 *
 * UrlBase without a scheme ("example.com") gives pg_tileserv a relative path ('' for BasePath "/"):
 * links relative to the server the client reached. tilegate says '' too, so links are built from
 * the request (the same server), and warns. A scheme-relative "//example.com" is kept, as in Go.
 * WHATWG URL normalises a little more than Go (lower-case host, default port dropped): same URLs.
 */
export function resolveUrlBase(urlBase: string, basePath: string): ResolvedUrlBase {
  if (urlBase === '') return { urlBase: '' };
  const schemeRelative = urlBase.startsWith('//');
  if (!schemeRelative && !HAS_SCHEME.test(urlBase)) {
    return {
      urlBase: '',
      warning: `UrlBase "${urlBase}" has no scheme (http:// or https://): pg_tileserv then advertises relative URLs; tilegate builds them from the request`,
    };
  }
  let resolved: string;
  try {
    resolved = schemeRelative ? new URL(basePath, `http:${urlBase}`).href.slice('http:'.length) : new URL(basePath, urlBase).href;
  } catch {
    throw new ConfigError('UrlBase', `is not an absolute URL such as https://tiles.example.com (with BasePath "${basePath}"), got "${urlBase}"`);
  }
  return { urlBase: resolved.replace(/\/+$/, '') };
}
