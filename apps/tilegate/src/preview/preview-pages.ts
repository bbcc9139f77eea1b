import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ConfigError, TILEGATE_CONFIG, TilegateConfig } from '@app/config';
import { PgTileservTemplates } from './templates/pg-tileserv-pages';

/**
 * For Swagger UI at /docs: its own scripts and styles only (it sets inline styles, hence
 * 'unsafe-inline' for styles alone), and never in a frame, so its Authorize dialog cannot be
 * overlaid by another site.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface PageResponse {
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * Only the server's own scripts and styles; data only from the server; MapLibre's worker from its
 * own file (the CSP build needs no blob: scripts). Names and descriptions reach the page as text.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const MAPLIBRE_DIST = dirname(require.resolve('maplibre-gl'));
const OWN_ASSETS = join(__dirname, 'assets');

/**
 * Everything a page loads, by name; nothing outside this list is served. A Map, not an object
 * literal: `__proto__` or `constructor` from the URL must find nothing, not Object.prototype.
 */
const ASSETS = new Map<string, { path: string; type: string }>([
  ['maplibre-gl-csp.js', { path: join(MAPLIBRE_DIST, 'maplibre-gl-csp.js'), type: 'text/javascript' }],
  ['maplibre-gl-csp-worker.js', { path: join(MAPLIBRE_DIST, 'maplibre-gl-csp-worker.js'), type: 'text/javascript' }],
  ['maplibre-gl.css', { path: join(MAPLIBRE_DIST, 'maplibre-gl.css'), type: 'text/css' }],
  ['common.js', { path: join(OWN_ASSETS, 'common.js'), type: 'text/javascript' }],
  ['index.js', { path: join(OWN_ASSETS, 'index.js'), type: 'text/javascript' }],
  ['preview.js', { path: join(OWN_ASSETS, 'preview.js'), type: 'text/javascript' }],
  ['tilegate.css', { path: join(OWN_ASSETS, 'tilegate.css'), type: 'text/css' }],
  ['sign-in.js', { path: join(OWN_ASSETS, 'sign-in.js'), type: 'text/javascript' }],
  // The map preview's base layer, made by scripts/demo/world-basemap.js: served here, never fetched elsewhere.
  ['world-110m.geojson', { path: join(OWN_ASSETS, 'world-110m.geojson'), type: 'application/geo+json' }],
]);

/**
 * The web pages: a layer list and a map preview. They are static shells: the layer data is
 * fetched by the page's script with the user's token, so the HTML never depends on the role.
 * With ShowPreview off every page and asset is a 404, while the JSON and tiles keep working.
 */
@Injectable()
export class PreviewPages {
  private readonly pages: Record<'index' | 'layer', string>;
  private readonly assets = new Map<string, Buffer>();

  /** pg_tileserv's templates from AssetsPath, when it is set; then they make the pages, per request and role. */
  readonly templates: PgTileservTemplates | undefined;

  constructor(@Inject(TILEGATE_CONFIG) private readonly config: TilegateConfig) {
    const base = config.basePath === '/' ? '' : config.basePath;
    const page = (name: string) => readFileSync(join(OWN_ASSETS, name), 'utf8').replace('%BASE%', base);
    this.pages = { index: page('index.html'), layer: page('layer.html') };
    try {
      this.templates = config.assetsPath ? PgTileservTemplates.load(config.assetsPath) : undefined;
    } catch (err) {
      throw new ConfigError('AssetsPath', (err as Error).message);
    }
  }

  /**
   * A page made from the AssetsPath templates. They are the deployment's own, so they may load
   * scripts from anywhere (pg_tileserv's load OpenLayers from a CDN): no script policy, but never
   * in a frame, and what they print is escaped as html/template escapes it.
   */
  rendered(html: string, cacheHeaders: Record<string, string>): PageResponse {
    this.ensureEnabled();
    return {
      headers: { ...cacheHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Content-Type-Options': 'nosniff' },
      body: html,
    };
  }

  page(name: 'index' | 'layer'): PageResponse {
    this.ensureEnabled();
    return {
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' },
      body: this.pages[name],
    };
  }

  asset(name: string): PageResponse {
    this.ensureEnabled();
    const asset = ASSETS.get(name);
    if (!asset) throw new NotFoundException();
    let body = this.assets.get(name);
    if (!body) {
      body = readFileSync(asset.path);
      this.assets.set(name, body);
    }
    return { headers: { 'Content-Type': `${asset.type}; charset=utf-8`, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }, body };
  }

  private ensureEnabled(): void {
    if (!this.config.showPreview) throw new NotFoundException();
  }
}

/** Sends a page or asset as it is. */
export async function sendPage(reply: FastifyReply, page: PageResponse): Promise<void> {
  await reply.headers(page.headers).send(page.body);
}
