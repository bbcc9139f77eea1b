import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseUrl, withClient } from '../../scripts/lib/pg-admin';

/** Where tests find the cluster: a superuser connection used only to set up and tear down. */
export const ADMIN_URL = process.env.TILEGATE_TEST_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Names of the roles one test database uses; unique per run because roles are cluster-wide. */
export interface TestRoles {
  authenticator: string;
  anon: string;
  member: string;
  analyst: string;
  regional: string;
}

export interface TestDatabase {
  name: string;
  roles: TestRoles;
  /** The authenticator's URL: what tilegate connects with. */
  authenticatorUrl: string;
  /** A superuser URL on the test database, for GRANT/REVOKE mid-test. */
  adminUrl: string;
  admin<T = unknown>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * Creates a database with PostGIS, the roles of a real deployment (a NOINHERIT login
 * authenticator granted the roles tokens may name) and a fixture loaded with `{{role}}`
 * placeholders replaced by this run's role names.
 */
export async function createTestDatabase(fixture: string): Promise<TestDatabase> {
  const suffix = randomBytes(4).toString('hex');
  const name = `tilegate_test_${suffix}`;
  const roles: TestRoles = {
    authenticator: `tg_${suffix}_authenticator`,
    anon: `tg_${suffix}_anon`,
    member: `tg_${suffix}_member`,
    analyst: `tg_${suffix}_analyst`,
    regional: `tg_${suffix}_regional`,
  };
  await withClient(ADMIN_URL, async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`CREATE ROLE ${roles.authenticator} LOGIN NOINHERIT`);
    for (const role of [roles.anon, roles.member, roles.analyst, roles.regional]) {
      await c.query(`CREATE ROLE ${role} NOLOGIN`);
      await c.query(`GRANT ${role} TO ${roles.authenticator}`);
    }
  });
  const adminUrl = databaseUrl(ADMIN_URL, name);
  let sql = readFileSync(join(__dirname, '..', 'fixtures', fixture), 'utf8');
  for (const [key, role] of Object.entries(roles)) sql = sql.replaceAll(`{{${key}}}`, role);
  const drop = () =>
    withClient(ADMIN_URL, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      for (const role of Object.values(roles)) await c.query(`DROP ROLE IF EXISTS ${role}`);
    });
  try {
    await withClient(adminUrl, (c) => c.query(sql));
  } catch (err) {
    // A fixture that fails must not leave its database and cluster-wide roles behind.
    await drop();
    throw err;
  }

  return {
    name,
    roles,
    authenticatorUrl: databaseUrl(ADMIN_URL, name, roles.authenticator),
    adminUrl,
    admin: <T>(text: string) => withClient(adminUrl, async (c) => (await c.query(text)).rows as T[]),
    drop,
  };
}
