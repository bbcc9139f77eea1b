/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { roleSwitching, serveTestDatabase } from './support/e2e-context';
import { launchBrowser } from './support/browser';

/** The list's status once it is filled ("12 layers"), not while loading. */
const LISTED = /^\d+ layers$/;

/** The pages' sign-in form (JwtTypeIdentifier), in a real browser against the real server and PostGIS. */
describe('web pages: signing in', () => {
  // signin.sql: ana@example.com (member role, org 9007199254740993), bo@example.com (regional role, org 7).
  const ctx = serveTestDatabase('signin.sql', (db) => roleSwitching(db, { JwtTypeIdentifier: 'auth.jwt_token', SignInMaxFailuresPerUser: 2 }));
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    const { regional } = ctx.db.roles;
    await ctx.db.admin(`
      CREATE TABLE public.regional_sites (id integer PRIMARY KEY, label text, geom geometry(Point, 4326));
      INSERT INTO public.regional_sites VALUES (1, 'depot', 'SRID=4326;POINT(10 50)');
      GRANT SELECT ON public.regional_sites TO ${regional};
      INSERT INTO auth.users VALUES ('<img src=x onerror=alert(1)>', crypt('markup', gen_salt('bf', 4)), '${regional}', 1);`);
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterEach(() => page?.close());

  const layerIds = (p: Page) => p.locator('li[data-layer]').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.layer));
  const listed = (p: Page) => p.locator('#status', { hasText: LISTED }).waitFor();
  const storedToken = (p: Page) => p.evaluate(() => sessionStorage.getItem('tilegate.token'));
  async function signIn(p: Page, email: string, password: string): Promise<void> {
    await p.fill('#sign-in-form input[name=email]', email);
    await p.fill('#sign-in-form input[name=password]', password);
    await p.click('#sign-in-form button[type=submit]');
  }
  /** The map, loaded; one marked stale (before a token change) does not count: the page makes a new one. */
  const waitForMap = (p: Page) =>
    p.waitForFunction(() => {
      const map = (window as unknown as { tilegateMap?: { stale?: boolean; loaded(): boolean; areTilesLoaded(): boolean } }).tilegateMap;
      return Boolean(map && !map.stale && map.loaded() && map.areTilesLoaded());
    }, undefined, { timeout: 30000 });
  const markMapStale = (p: Page) => p.evaluate(() => { (window as any).tilegateMap.stale = true; });

  it("shows a form built from the sign-in function's arguments, the password as a password", async () => {
    await page.goto(`${ctx.server.url}/`);
    await listed(page);
    await page.locator('#sign-in-form input[name=password]').waitFor();
    expect(await page.locator('#sign-in-form').isVisible()).toBe(true);
    expect(await page.locator('#sign-in-form input').evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).type]))).toEqual([
      ['email', 'text'],
      ['password', 'password'],
    ]);
    // One function: no choice to make.
    expect(await page.locator('#sign-in-function').isVisible()).toBe(false);
    expect(await page.locator('#identity').isVisible()).toBe(false);
    expect(await page.locator('#role').textContent()).toContain(`${ctx.db.roles.anon} (anonymous)`);
  });

  it("shows the server's message for a wrong password, and stays anonymous", async () => {
    await page.goto(`${ctx.server.url}/`);
    await listed(page);
    await signIn(page, 'ana@example.com', 'wrong horse');
    await page.locator('#sign-in-error', { hasText: 'credentials were not accepted' }).waitFor();
    expect(await page.locator('#sign-in-error').textContent()).toBe('Sign-in failed: the credentials were not accepted');
    expect(await storedToken(page)).toBeNull();
    expect(await page.locator('#identity').isVisible()).toBe(false);
    expect(await layerIds(page)).not.toContain('public.regional_sites');
  });

  it("signs in: the header shows the database's role and sub, the list the role's layers, on every page, until Sign out", async () => {
    await page.goto(`${ctx.server.url}/`);
    await listed(page);
    expect(await layerIds(page)).not.toContain('public.regional_sites');
    await signIn(page, 'bo@example.com', 'battery staple');
    await page.locator('#who', { hasText: 'signed in as' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe(`signed in as ${ctx.db.roles.regional} · sub bo@example.com`);
    await page.locator('li[data-layer="public.regional_sites"]').waitFor();
    expect(await page.locator('#role').textContent()).toBe(`served as role: ${ctx.db.roles.regional}`);
    expect(await page.locator('#sign-in-form').isVisible()).toBe(false);
    expect(await storedToken(page)).toMatch(/^ey/);

    // The token is kept for the tab: the map page uses it for the JSON and the tiles.
    await page.goto(`${ctx.server.url}/public.regional_sites.html`);
    await waitForMap(page);
    expect(await page.locator('#who').textContent()).toContain(ctx.db.roles.regional);
    const labels = await page.evaluate(() =>
      (window as any).tilegateMap.querySourceFeatures('layer', { sourceLayer: 'public.regional_sites' }).map((f: any) => f.properties.label),
    );
    expect(labels).toContain('depot');

    // Anonymous again: the layer is not one the anonymous role may see.
    await page.click('#sign-out');
    await page.locator('#status', { hasText: 'Cannot show public.regional_sites' }).waitFor();
    expect(await page.locator('#identity').isVisible()).toBe(false);
    expect(await page.locator('#sign-in-form').isVisible()).toBe(true);
    expect(await page.locator('#role').textContent()).not.toContain(ctx.db.roles.regional);
    expect(await storedToken(page)).toBeNull();
    await page.goto(`${ctx.server.url}/`);
    await page.locator('#role', { hasText: `${ctx.db.roles.anon} (anonymous)` }).waitFor();
    await listed(page);
    expect(await layerIds(page)).not.toContain('public.regional_sites');
  });

  it("shows each user's own rows, and Clear goes back to anonymous", async () => {
    const labelsOnMap = () =>
      page.evaluate(() => (window as any).tilegateMap.querySourceFeatures('layer', { sourceLayer: 'public.org_sites' }).map((f: any) => f.properties.label));
    await page.goto(`${ctx.server.url}/public.org_sites.html`);
    await waitForMap(page);
    expect(await labelsOnMap()).toEqual([]);
    await markMapStale(page);
    await signIn(page, 'ana@example.com', 'right horse');
    await page.locator('#who', { hasText: 'sub ana@example.com' }).waitFor();
    await waitForMap(page);
    expect([...new Set(await labelsOnMap())]).toEqual(["ana's"]);
    expect(await page.locator('#role').textContent()).toBe(`served as role: ${ctx.db.roles.member}`);

    await markMapStale(page);
    await page.click('#token-clear');
    await page.locator('#role', { hasText: `${ctx.db.roles.anon} (anonymous)` }).waitFor();
    await waitForMap(page);
    expect(await labelsOnMap()).toEqual([]);
    expect(await page.locator('#identity').isVisible()).toBe(false);
  });

  it('shows when to try again after too many failures', async () => {
    await page.goto(`${ctx.server.url}/`);
    await listed(page);
    for (let i = 0; i < 2; i++) {
      await signIn(page, 'target@example.com', `guess ${i}`);
      await page.locator('#sign-in-error', { hasText: 'not accepted' }).waitFor();
      await page.evaluate(() => { document.getElementById('sign-in-error')!.textContent = ''; });
    }
    await signIn(page, 'target@example.com', 'guess 3');
    await page.locator('#sign-in-error', { hasText: 'try again in' }).waitFor();
    expect(await page.locator('#sign-in-error').textContent()).toMatch(/^Sign-in failed: too many failed sign-ins; try again later \(try again in \d+ (s|min)\)$/);
  });

  it('puts a sub that is markup into the page as text', async () => {
    await page.goto(`${ctx.server.url}/`);
    await listed(page);
    await signIn(page, '<img src=x onerror=alert(1)>', 'markup');
    await page.locator('#who', { hasText: 'signed in as' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe(`signed in as ${ctx.db.roles.regional} · sub <img src=x onerror=alert(1)>`);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
