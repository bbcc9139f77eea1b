/// <reference lib="dom" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { launchBrowser } from './support/browser';
import { startServer } from './support/test-server';
import { token } from './support/tokens';

const OUTPUT = join(__dirname, '..', 'test-output');
/** The list's status once it is filled ("12 layers"), not while loading. */
const LISTED = /^\d+ layers$/;

/** The web pages in a real browser, against the real server and PostGIS. */
describe('web pages', () => {
  const ctx = serveTestDatabase('core.sql', (db) => roleSwitching(db));
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    await ctx.db.admin(`COMMENT ON TABLE public.zones IS '<img src=x onerror=alert(1)> zones'; COMMENT ON COLUMN public.zones.label IS '<script>alert(2)</script>'`);
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterEach(() => page?.close());

  const layerIds = (p: Page) => p.locator('li[data-layer]').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.layer));
  const waitForMap = (p: Page) =>
    p.waitForFunction(() => {
      const map = (window as unknown as { tilegateMap?: { loaded(): boolean; areTilesLoaded(): boolean } }).tilegateMap;
      return Boolean(map && map.loaded() && map.areTilesLoaded());
    }, undefined, { timeout: 30000 });

  it('lists the layers the anonymous role sees, tables and functions apart', async () => {
    await page.goto(`${ctx.server.url}/`);
    await page.locator('#status', { hasText: LISTED }).waitFor();
    const expected = Object.keys(await (await fetch(`${ctx.server.url}/index.json`)).json()).sort();
    expect(((await layerIds(page)) as string[]).sort()).toEqual(expected);
    expect(await page.locator('#functions li[data-layer="public.whoami"]').count()).toBe(1);
    expect(await page.locator('#tables li[data-layer="public.places"] .fields').textContent()).toContain('name (text)');
    expect(await page.locator('a[href="docs"]').count()).toBe(1);
    expect(await page.locator('#role').textContent()).toContain(ctx.db.roles.anon);
    // No JwtTypeIdentifier here, so no sign-in function: the token box alone.
    expect((await (await fetch(`${ctx.server.url}/auth/sign-in`)).json()).functions).toEqual([]);
    expect(await page.locator('#sign-in-form').isVisible()).toBe(false);
    expect(await page.locator('#sign-in-form input').count()).toBe(0);
    expect(await page.locator('#token-form').isVisible()).toBe(true);
  });

  it('draws a layer on the map from MVT tiles, and shows a clicked feature', async () => {
    const tiles: Array<{ status: number; type: string | null }> = [];
    page.on('response', (r) => {
      if (r.url().includes('/public.places/')) tiles.push({ status: r.status(), type: r.headers()['content-type'] ?? null });
    });
    await page.goto(`${ctx.server.url}/public.places.html`);
    await waitForMap(page);
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.every((t) => t.status === 200 && t.type === 'application/vnd.mapbox-vector-tile')).toBe(true);

    const shot = await page.locator('#map').screenshot();
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(join(OUTPUT, 'preview.png'), await page.screenshot());
    const png = PNG.sync.read(shot);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(3); // background, points, their outlines: not a blank canvas

    const point = await page.evaluate(() => {
      const map = (window as any).tilegateMap;
      const p = map.project([2.3522, 48.8566]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.click(point.x, point.y);
    await page.locator('#feature', { hasText: 'Paris' }).waitFor();
    expect(await page.locator('#feature').textContent()).toContain('2100000');
  });

  it("draws tilegate's own world outline under the data, and the Base map box turns it off", async () => {
    const outline: Array<{ status: number; type: string | null }> = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/assets/world-110m.geojson')) outline.push({ status: r.status(), type: r.headers()['content-type'] ?? null });
    });
    await page.goto(`${ctx.server.url}/public.places.html`);
    await waitForMap(page);
    expect(outline).toEqual([{ status: 200, type: 'application/geo+json; charset=utf-8' }]);
    const state = () =>
      page.evaluate(() => {
        const map = (window as any).tilegateMap;
        const order = map.getStyle().layers.map((l: { id: string }) => l.id);
        return {
          visibility: ['basemap-fill', 'basemap-line'].map((id) => map.getLayoutProperty(id, 'visibility') ?? 'visible'),
          under: order.indexOf('basemap-fill') < order.indexOf('points') && order.indexOf('basemap-line') < order.indexOf('fill'),
          countries: map.querySourceFeatures('basemap').length,
        };
      });
    // The land's fill colour, counted on the map: there with the outline, gone without it.
    const landPixels = async () => {
      const png = PNG.sync.read(await page.locator('#map').screenshot());
      let n = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 0xdc && png.data[i + 1] === 0xdf && png.data[i + 2] === 0xd7) n++;
      return n;
    };
    expect(await state()).toEqual({ visibility: ['visible', 'visible'], under: true, countries: expect.any(Number) });
    expect((await state()).countries).toBeGreaterThan(20);
    expect(await landPixels()).toBeGreaterThan(1000);

    await page.uncheck('#basemap');
    expect((await state()).visibility).toEqual(['none', 'none']);
    await page.waitForFunction(() => (window as any).tilegateMap.loaded());
    expect(await landPixels()).toBe(0);
    await page.check('#basemap');
    expect((await state()).visibility).toEqual(['visible', 'visible']);
  });

  it('shows what a pasted token\'s role sees, in the list and on the map, and forgets it on Clear', async () => {
    await page.goto(`${ctx.server.url}/index.html`);
    await page.locator('#status', { hasText: LISTED }).waitFor();
    expect(await layerIds(page)).not.toContain('public.member_only');
    await page.fill('#token', token({ role: ctx.db.roles.member }));
    await page.click('#token-form button[type=submit]');
    await page.locator('li[data-layer="public.member_only"]').waitFor();
    expect(await page.locator('#role').textContent()).toContain(ctx.db.roles.member);

    const tileStatuses: number[] = [];
    page.on('response', (r) => r.url().includes('/public.member_only/') && tileStatuses.push(r.status()));
    await page.goto(`${ctx.server.url}/public.member_only.html`);
    await waitForMap(page);
    expect(tileStatuses.length).toBeGreaterThan(0);
    expect(tileStatuses.every((s) => s === 200)).toBe(true);
    const rendered = await page.evaluate(() => (window as any).tilegateMap.querySourceFeatures('layer', { sourceLayer: 'public.member_only' }).length);
    expect(rendered).toBeGreaterThan(0);

    await page.goto(`${ctx.server.url}/index.html`);
    await page.click('#token-clear');
    await page.locator('#role', { hasText: ctx.db.roles.anon }).waitFor();
    await page.locator('#status', { hasText: LISTED }).waitFor();
    expect(await layerIds(page)).not.toContain('public.member_only');
  });

  it('shows a script in a COMMENT as text and runs nothing', async () => {
    await page.goto(`${ctx.server.url}/`);
    await page.locator('#status', { hasText: LISTED }).waitFor();
    const zones = page.locator('li[data-layer="public.zones"] .description');
    expect(await zones.textContent()).toBe('<img src=x onerror=alert(1)> zones');
    expect(await page.locator('img').count()).toBe(0);
    await page.goto(`${ctx.server.url}/public.zones.html`);
    await waitForMap(page);
    expect(await page.locator('#status').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(dialogs).toEqual([]);
    const csp = (await fetch(`${ctx.server.url}/public.zones.html`)).headers.get('content-security-policy');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
  });

  it('makes no request to any host but the server', () => {
    expect(requests.length).toBeGreaterThan(10);
    const elsewhere = requests.filter((url) => !url.startsWith(ctx.server.url) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(elsewhere).toEqual([]);
  });

  it('turns the pages and the JSON catalog off with ShowPreview = false, as pg_tileserv, while TileJSON and tiles keep working', async () => {
    const quiet = await startServer(roleSwitching(ctx.db, { ShowPreview: false }));
    try {
      for (const path of ['', 'index.html', 'public.places.html', 'assets/maplibre-gl-csp.js', 'index.json', 'public.places.json']) {
        expect({ path, status: (await fetch(`${quiet.url}/${path}`)).status }).toEqual({ path, status: 404 });
      }
      expect((await fetch(`${quiet.url}/public.places/tilejson.json`)).status).toBe(200);
      expect((await fetch(`${quiet.url}/public.places/0/0/0.pbf`)).status).toBe(200);
    } finally {
      await quiet.close();
    }
  });
});
