// `npm run demo`: loads the demo database, then runs tilegate on it with JWT role switching on,
// and prints the URLs and sample tokens. Run through scripts/demo.sh, which finds PostGIS first.
'use strict';
const { randomBytes } = require('node:crypto');
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { sign } = require('jsonwebtoken');
const { loadDemo } = require('./load-demo-data');
const { SERVER_NODE_FLAGS, SERVER_MALLOC_ENV } = require('../lib/server-launch');

async function main() {
  const adminUrl = process.env.DEMO_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const port = Number(process.env.DEMO_PORT || 7800);
  // Sign-in passwords: DEMO_PASSWORD for both users, or new random ones each run.
  const password = () => process.env.DEMO_PASSWORD || randomBytes(9).toString('base64url');
  console.log('Loading the demo database (Natural Earth countries, GeoNames cities)...');
  const demo = await loadDemo(adminUrl, { analyst: password(), fieldUser: password() });
  console.log(`Loaded ${demo.countries} countries and ${demo.cities} cities into ${demo.database}.`);

  const secret = process.env.DEMO_JWT_SECRET || randomBytes(32).toString('base64url');
  const day = { expiresIn: '24h' };
  const analyst = sign({ role: demo.analyst, sub: 'demo-analyst', countries: [] }, secret, day);
  const fieldUser = sign({ role: demo.fieldUser, sub: 'demo-field-user', countries: ['FR', 'DE'] }, secret, day);
  const base = `http://localhost:${port}`;
  const [analystUser, fieldUserUser] = demo.users;
  const signInBody = JSON.stringify({ email: analystUser.email, password: analystUser.password });

  console.log(`
tilegate demo on ${base}
  layer list (web page):  ${base}/
  layers (anonymous):     ${base}/index.json
  API docs (Swagger UI):  ${base}/docs
  a tile:                 ${base}/public.countries/1/1/0.pbf
  function layer:         ${base}/public.cities_by_name/4/8/5.pbf?name_prefix=Ber
  TileJSON for MapLibre:  ${base}/public.cities/tilejson.json

Sign in (the web pages have a form; tokens come from auth.authenticate in the database):
  sign-in page:           ${base}/
  analyst:                ${analystUser.email}  password ${analystUser.password}
  field user (FR, DE):    ${fieldUserUser.email}  password ${fieldUserUser.password}
  curl -H 'Content-Type: application/json' -d '${signInBody}' ${base}/auth/auth.authenticate

Sample tokens (HS256, valid 24 h):
  analyst (sees internal.cities_with_regions):
    ${analyst}
  field user (public.assigned_cities shows only FR and DE, by row level security):
    ${fieldUser}

Try:
  curl ${base}/index.json
  curl -H "Authorization: Bearer ${analyst}" ${base}/index.json
  curl -H "Authorization: Bearer ${fieldUser}" -o fr-de.pbf ${base}/public.assigned_cities/3/4/2.pbf
  curl -s -o /dev/null -D - ${base}/public.countries/1/1/0.pbf | grep -i tilegate-cache    # run it twice: miss, then hit

Map preview (sign in, or paste a token in its Token box, to see as that role):
  ${base}/public.countries.html
`);

  const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(__dirname, '..', '..', 'dist', 'apps', 'tilegate', 'apps', 'tilegate', 'src', 'main.js')], {
    stdio: 'inherit',
    env: { ...SERVER_MALLOC_ENV, ...process.env, DATABASE_URL: demo.url, TS_JWTSECRET: secret, TS_ANONROLE: demo.anon, TS_JWTTYPEIDENTIFIER: 'auth.jwt_token', TS_HTTPPORT: String(port) },
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
