// `npm run demo`: loads the demo database, then runs tilegate on it with JWT role switching on,
// and prints the URLs and sample tokens. Run through scripts/demo.sh, which finds PostGIS first.
'use strict';
const { randomBytes } = require('node:crypto');
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { sign } = require('jsonwebtoken');
const { loadDemo } = require('./load-demo-data');

async function main() {
  const adminUrl = process.env.DEMO_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const port = Number(process.env.DEMO_PORT || 7800);
  console.log('Loading the demo database (Natural Earth countries, GeoNames cities)...');
  const demo = await loadDemo(adminUrl);
  console.log(`Loaded ${demo.countries} countries and ${demo.cities} cities into ${demo.database}.`);

  const secret = process.env.DEMO_JWT_SECRET || randomBytes(32).toString('base64url');
  const day = { expiresIn: '24h' };
  const analyst = sign({ role: demo.analyst, sub: 'demo-analyst' }, secret, day);
  const fieldUser = sign({ role: demo.fieldUser, sub: 'demo-field-user', countries: ['FR', 'DE'] }, secret, day);
  const base = `http://localhost:${port}`;

  console.log(`
tilegate demo on ${base}
  layer list (web page):  ${base}/
  layers (anonymous):     ${base}/index.json
  API docs (Swagger UI):  ${base}/docs
  a tile:                 ${base}/public.countries/1/1/0.pbf
  function layer:         ${base}/public.cities_by_name/4/8/5.pbf?name_prefix=Ber
  TileJSON for MapLibre:  ${base}/public.cities/tilejson.json

Sample tokens (HS256, valid 24 h):
  analyst (sees internal.cities_with_regions):
    ${analyst}
  field user (public.assigned_cities shows only FR and DE, by row level security):
    ${fieldUser}

Try:
  curl ${base}/index.json
  curl -H "Authorization: Bearer ${analyst}" ${base}/index.json
  curl -H "Authorization: Bearer ${fieldUser}" -o fr-de.pbf ${base}/public.assigned_cities/3/4/2.pbf

Map preview (paste a token in its Token box to see as that role):
  ${base}/public.countries.html
`);

  const server = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'apps', 'tilegate', 'apps', 'tilegate', 'src', 'main.js')], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: demo.url, TS_JWTSECRET: secret, TS_ANONROLE: demo.anon, TS_HTTPPORT: String(port) },
  });
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((err) => {
  console.error(`demo: ${err.message}`);
  process.exit(1);
});
