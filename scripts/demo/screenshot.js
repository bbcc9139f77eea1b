// Writes docs/preview.png, the README's screenshot: the demo's cities on the map preview, signed
// in as the field user, whose row level security shows France's and Germany's cities only.
// It loads the demo database, runs the built tilegate on a free port and drives Debian's
// Chromium with playwright-core:
//   npx nest build tilegate && node scripts/demo/screenshot.js
// (DEMO_ADMIN_URL as for the demo; TILEGATE_CHROMIUM for another browser.)
'use strict';
const { randomBytes } = require('node:crypto');
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { chromium } = require('playwright-core');
const { loadDemo } = require('./load-demo-data');

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'docs', 'preview.png');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitUntilUp(url, server) {
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`tilegate exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('tilegate did not start');
}

async function shoot(base, user) {
  const browser = await chromium.launch({
    executablePath: process.env.TILEGATE_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const mapReady = () =>
      page.waitForFunction(() => {
        const map = window.tilegateMap;
        return Boolean(map && !map.stale && map.loaded() && map.areTilesLoaded());
      }, undefined, { timeout: 60000 });
    await page.goto(`${base}/public.assigned_cities.html`);
    await mapReady();
    await page.evaluate(() => { window.tilegateMap.stale = true; });
    await page.fill('#sign-in-form input[name=email]', user.email);
    await page.fill('#sign-in-form input[name=password]', user.password);
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#who', { hasText: 'signed in as' }).waitFor();
    await mapReady();
    // France, Germany and their neighbours, whose cities the field user does not see.
    await page.evaluate(() => window.tilegateMap.jumpTo({ center: [6.5, 48.5], zoom: 4.4 }));
    await page.waitForTimeout(300);
    await mapReady();
    const paris = await page.evaluate(() => {
      const map = window.tilegateMap;
      const p = map.project([2.3522, 48.8566]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.click(paris.x, paris.y);
    await page.locator('#feature dt').first().waitFor({ timeout: 10000 });
    await page.screenshot({ path: OUT });
  } finally {
    await browser.close();
  }
}

async function main() {
  const adminUrl = process.env.DEMO_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const password = () => randomBytes(9).toString('base64url');
  console.log('Loading the demo database...');
  const demo = await loadDemo(adminUrl, { analyst: password(), fieldUser: password() });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'tilegate', 'apps', 'tilegate', 'src', 'main.js')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: demo.url, TS_JWTSECRET: randomBytes(32).toString('base64url'), TS_ANONROLE: demo.anon, TS_JWTTYPEIDENTIFIER: 'auth.jwt_token', TS_HTTPHOST: '127.0.0.1', TS_HTTPPORT: String(port) },
  });
  try {
    await waitUntilUp(base, server);
    await shoot(base, demo.users.find((u) => u.email === 'field@demo.example'));
    console.log(`wrote ${OUT}`);
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(`screenshot: ${err.message}`);
  process.exit(1);
});
